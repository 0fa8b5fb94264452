import { maskKeepEnds, maskTail } from '../mask.js';
import { digitsOnly, words } from '../text.js';
import {
  CH_AT,
  CH_COLON,
  CH_COMMA,
  CH_DIGIT,
  CH_DOLLAR,
  CH_DOT,
  CH_LETTER,
  CH_SLASH,
  CH_UNDERSCORE,
  SHAPE_ONLY,
  type Classifier,
  type NegativeSignal,
  type ValueShape,
} from '../types.js';
import {
  brCpfCheck,
  caSinCheck,
  deTaxIdCheck,
  esNifCheck,
  frInseeCheck,
  itFiscalCodeCheck,
  nhsMod11,
  ssnStructure,
  verhoeff,
} from '../validators.js';
import { defineClassifier } from './common.js';

/** Numeric identifiers are easily confused with ids, timestamps and book numbers. */
const NUMERIC_ID_NEGATIVES: Partial<Record<NegativeSignal, number>> = {
  SEQUENTIAL_IDS: 0.4,
  TIMESTAMPS: 0.3,
  ISBNS: 0.3,
  SMALL_INT_RANGE: 0.2,
  VERSION_STRINGS: 0.3,
  UUIDS: 0.3,
};

const NUMERIC_FORBIDS = CH_AT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA;

// ---------------------------------------------------------------------------------------------
// United States

const SSN_FORMATTED_RE = /^(\d{3})([- ])(\d{2})\2(\d{4})$/;
const SSN_PLAIN_RE = /^\d{9}$/;
/** Numbers published as examples or known to be invalid; they still look like SSNs but weaker. */
const SSN_KNOWN_FAKE = new Set([
  '078051120',
  '219099999',
  '123456789',
  '111111111',
  '333333333',
  '987654320',
]);

export const US_SSN: Classifier = defineClassifier({
  id: 'GOV.US_SSN',
  name: 'US Social Security number',
  description: 'US SSNs (area/group/serial structure validated).',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['536-22-1475', '536221475'],
  names: {
    strong: words(`
        ssn social_security social_security_number social_security_no socialsecuritynumber
        soc_sec_no soc_sec_num ss_number ss_no ssn_number ssn_no us_ssn ssnum employee_ssn
        patient_ssn
      `),
    weak: words('tax_id taxpayer_id tin national_id'),
    context: words('employee payroll w2 w4 hr benefits irs tax'),
    exclude: words('last4 last_4 last hash verified flag count type masked token encrypted'),
  },
  value: {
    minDistinct: 3,
    minLength: 9,
    maxLength: 11,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_LETTER | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits !== 9) return 0;
      const m = SSN_FORMATTED_RE.exec(s.text);
      if (m) {
        const d = m[1]! + m[3]! + m[4]!;
        if (!ssnStructure(d)) return SHAPE_ONLY;
        return SSN_KNOWN_FAKE.has(d) ? 0.4 : 0.8;
      }
      if (!SSN_PLAIN_RE.test(s.text)) return 0;
      return ssnStructure(s.text) ? 0.15 : SHAPE_ONLY;
    },
    validator: 'ssn-structure',
    negatives: NUMERIC_ID_NEGATIVES,
    mask: (v: string) => maskTail(v, 4),
  },
});

const ITIN_RE = /^9\d{2}([- ]?)(5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])\1\d{4}$/;

export const US_ITIN: Classifier = defineClassifier({
  id: 'GOV.US_ITIN',
  name: 'US Individual Taxpayer Identification Number',
  description: 'IRS ITINs: 9xx-[50-65|70-88|90-92|94-99]-xxxx.',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['912-70-1234', '987-94-5678'],
  names: {
    strong: words(`
        itin itin_number individual_taxpayer_identification_number taxpayer_id_number
      `),
    weak: words('tax_id taxpayer_id tin tax_number'),
    context: words('tax irs w7 payroll employee'),
    exclude: words('hash flag count type verified'),
  },
  value: {
    minDistinct: 3,
    minLength: 9,
    maxLength: 11,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_LETTER | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits !== 9 || s.text[0] !== '9') return 0;
      if (!ITIN_RE.test(s.text)) return SHAPE_ONLY;
      return s.length === 9 ? 0.3 : 0.85;
    },
    validator: 'itin-group-range',
    negatives: NUMERIC_ID_NEGATIVES,
    mask: (v: string) => maskTail(v, 4),
  },
});

const US_PASSPORT_RE = /^[A-Z]?\d{8,9}$/;

export const US_PASSPORT: Classifier = defineClassifier({
  id: 'GOV.US_PASSPORT',
  name: 'US passport number',
  description: 'US passport book/card numbers (9 digits, or a letter and 8 digits).',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['912803456', 'A12345678'],
  names: {
    strong: words(`
        passport passport_number passport_no passport_num passportnumber passport_id us_passport
        passport_nbr
      `),
    context: words(`
        travel traveler traveller passenger visa immigration citizenship booking
      `),
    exclude: words(`
        expiry expiration expires issue issued country type photo scan image flag verified count
        date status issuing authority place holder name
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 8,
    maxLength: 10,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_DOT,
    test: (s: ValueShape) => (US_PASSPORT_RE.test(s.text) ? 0.05 : 0),
    maxStrength: 0.05,
    negatives: NUMERIC_ID_NEGATIVES,
    mask: (v: string) => maskTail(v, 3),
  },
});

const DRIVER_LICENSE_RE = /^[A-Z0-9](?:[A-Z0-9]|[- ](?=[A-Z0-9])){3,19}$/i;

export const US_DRIVER_LICENSE: Classifier = defineClassifier({
  id: 'GOV.US_DRIVER_LICENSE',
  name: 'US driver licence number',
  description:
    "State-issued driver's licence numbers (formats vary by state; recognised by column name).",
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['D1234567', 'S530-4603-1234', '123456789'],
  names: {
    strong: words(`
        driver_license drivers_license driver_licence drivers_licence driving_license
        driving_licence driver_license_number drivers_license_number driver_license_no dl_number
        dl_no dl_num dl_nbr dl_id license_number licence_number license_no licence_no
        driverlicense driverslicense drivers_lic driver_lic dlnumber dl
      `),
    weak: words('license licence lic_no'),
    context: words('driver drivers dmv vehicle motor rental insurance policyholder'),
    exclude: words(`
        state class expiry expiration expires issued issue type key software plate count flag
        verified status date endorsements restrictions points photo scan image business seat
        seats server
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 5,
    maxLength: 20,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_DOT,
    test: (s: ValueShape) => (s.digits >= 4 && DRIVER_LICENSE_RE.test(s.text) ? 0.05 : 0),
    maxStrength: 0.05,
    negatives: { ...NUMERIC_ID_NEGATIVES, PREFIXED_IDS: 0.5 },
    mask: (v: string) => maskTail(v, 3),
  },
});

// ---------------------------------------------------------------------------------------------
// United Kingdom

const NINO_RE =
  /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/;

export const UK_NINO: Classifier = defineClassifier({
  id: 'GOV.UK_NINO',
  name: 'UK National Insurance number',
  description: 'UK NINOs (two prefix letters, six digits, suffix A–D).',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['AB 12 34 56 C', 'TE761814C'],
  names: {
    strong: words(`
        nino ni_number ni_no national_insurance national_insurance_number national_insurance_no
        nat_ins_no nin ni_num nationalinsurancenumber
      `),
    exclude: words('hash flag count verified type'),
  },
  value: {
    minDistinct: 2,
    minLength: 9,
    maxLength: 13,
    requires: CH_DIGIT | CH_LETTER,
    forbids: NUMERIC_FORBIDS | CH_DOT,
    test: (s: ValueShape) =>
      NINO_RE.test(s.upper === s.letters ? s.text : s.text.toUpperCase()) ? 0.9 : 0,
    mask: (v: string) => maskKeepEnds(v, 0, 1),
  },
});

const NHS_FORMATTED_RE = /^\d{3}([ -])\d{3}\1\d{4}$/;

export const UK_NHS_NUMBER: Classifier = defineClassifier({
  id: 'GOV.UK_NHS_NUMBER',
  name: 'NHS number',
  description: 'NHS numbers for England, Wales and the Isle of Man (mod-11 check digit).',
  categories: ['PII', 'PHI', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['943 476 5919', '9434765919'],
  names: {
    strong: words('nhs nhs_number nhs_no nhsnumber nhs_num nhs_id patient_nhs nhsno'),
    context: words('patient patients gp nhs clinical hospital ward'),
    exclude: words('trust region hash flag verified count status type org organisation'),
  },
  value: {
    minDistinct: 3,
    minLength: 10,
    maxLength: 12,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_LETTER | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits !== 10) return 0;
      const formatted = s.length === 12 && NHS_FORMATTED_RE.test(s.text);
      if (!formatted && s.length !== 10) return 0;
      return nhsMod11(formatted ? digitsOnly(s.text) : s.text)
        ? formatted
          ? 0.85
          : 0.5
        : SHAPE_ONLY;
    },
    validator: 'mod11',
    // Not ISBNS: a plain NHS number is, arithmetically, a valid ISBN-10.
    negatives: {
      SEQUENTIAL_IDS: 0.4,
      TIMESTAMPS: 0.3,
      SMALL_INT_RANGE: 0.2,
      VERSION_STRINGS: 0.3,
      UUIDS: 0.3,
    },
    mask: (v: string) => maskTail(v, 3),
  },
});

// ---------------------------------------------------------------------------------------------
// Canada, France, Germany, Spain, Italy, India

const SIN_FORMATTED_RE = /^\d{3}([ -])\d{3}\1\d{3}$/;

export const CA_SIN: Classifier = defineClassifier({
  id: 'GOV.CA_SIN',
  name: 'Canadian Social Insurance Number',
  description: 'Canadian SINs (nine digits, Luhn check).',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['245 727 979', '245-727-979'],
  names: {
    strong: words(`
        sin sin_number sin_no social_insurance_number social_insurance_no nas
        numero_assurance_sociale canadian_sin ca_sin
      `),
    context: words('canada canadian employee payroll cra'),
    exclude: words('hash flag count verified type angle wave cos tan'),
  },
  value: {
    minDistinct: 3,
    minLength: 9,
    maxLength: 11,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_LETTER | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits !== 9) return 0;
      const formatted = s.length === 11 && SIN_FORMATTED_RE.test(s.text);
      if (!formatted && s.length !== 9) return 0;
      return caSinCheck(formatted ? digitsOnly(s.text) : s.text)
        ? formatted
          ? 0.8
          : 0.3
        : SHAPE_ONLY;
    },
    validator: 'luhn',
    negatives: NUMERIC_ID_NEGATIVES,
    mask: (v: string) => maskTail(v, 3),
  },
});

const INSEE_RE = /^[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2A|2B)\s?\d{3}\s?\d{3}\s?\d{2}$/i;

export const FR_INSEE: Classifier = defineClassifier({
  id: 'GOV.FR_INSEE',
  name: 'French social security number (NIR/INSEE)',
  description: 'French NIR, 13 digits plus a 2-digit mod-97 key.',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['2 84 12 76 451 089 93', '184127645108946'],
  names: {
    strong: words(`
        insee nir numero_securite_sociale num_secu no_secu secu securite_sociale numero_ss
        n_secu nir_number num_insee
      `),
    context: words('france french salarie patient assure'),
    exclude: words('hash flag count type'),
  },
  value: {
    minDistinct: 2,
    minLength: 15,
    maxLength: 21,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits < 13 || !INSEE_RE.test(s.text)) return 0;
      return frInseeCheck(s.text.replace(/\s/g, '')) ? 0.95 : SHAPE_ONLY;
    },
    validator: 'mod97-key',
    mask: (v: string) => maskKeepEnds(v, 1, 0),
  },
});

const DE_TAX_ID_RE = /^[1-9]\d(?: ?\d{3}){3}$/;

export const DE_TAX_ID: Classifier = defineClassifier({
  id: 'GOV.DE_TAX_ID',
  name: 'German tax identification number',
  description: 'Steuerliche Identifikationsnummer (11 digits, ISO 7064 MOD 11,10 check).',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['65929970489', '65 929 970 489'],
  names: {
    strong: words(`
        steuer_id steuerid steuer_idnr steueridentifikationsnummer
        steuerliche_identifikationsnummer idnr st_idnr steuer_identifikationsnummer tax_id_de
        de_tax_id german_tax_id
      `),
    weak: words('tax_id taxpayer_id tin steuernummer tax_number'),
    context: words('germany german deutschland mitarbeiter lohn gehalt finanzamt'),
    exclude: words('hash flag count type rate amount'),
  },
  value: {
    minDistinct: 3,
    minLength: 11,
    maxLength: 14,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_LETTER | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits !== 11 || !DE_TAX_ID_RE.test(s.text)) return 0;
      return deTaxIdCheck(s.spaces > 0 ? digitsOnly(s.text) : s.text)
        ? s.spaces > 0
          ? 0.7
          : 0.55
        : SHAPE_ONLY;
    },
    validator: 'iso7064-mod11-10',
    negatives: NUMERIC_ID_NEGATIVES,
    mask: (v: string) => maskTail(v, 3),
  },
});

const ES_NIF_RE = /^(?:\d{8}|[XYZ]-?\d{7})-?[A-Z]$/i;

export const ES_NIF: Classifier = defineClassifier({
  id: 'GOV.ES_NIF',
  name: 'Spanish NIF/DNI/NIE',
  description: 'Spanish personal tax/identity numbers (DNI, NIE) with mod-23 control letter.',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['12345678Z', 'X1234567L'],
  names: {
    strong: words(`
        nif dni nie documento_identidad numero_documento num_dni dni_nie nif_nie nif_dni
        documento_nacional
      `),
    exclude: words('hash flag count type'),
  },
  value: {
    minDistinct: 2,
    minLength: 9,
    maxLength: 11,
    requires: CH_DIGIT | CH_LETTER,
    forbids: NUMERIC_FORBIDS | CH_DOT,
    test: (s: ValueShape) => {
      if (!ES_NIF_RE.test(s.text)) return 0;
      return esNifCheck(s.text.replace(/-/g, '')) ? 0.9 : SHAPE_ONLY;
    },
    validator: 'mod23-letter',
    mask: (v: string) => maskKeepEnds(v, 0, 1),
  },
});

const IT_CF_RE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

export const IT_FISCAL_CODE: Classifier = defineClassifier({
  id: 'GOV.IT_FISCAL_CODE',
  name: 'Italian fiscal code (codice fiscale)',
  description:
    'Italian personal codice fiscale, 16 characters with check letter (omocodia supported).',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['RSSMRA85T10A562S'],
  names: {
    strong: words(`
        codice_fiscale codicefiscale cod_fiscale cf fiscal_code tax_code codice_fisc
        it_fiscal_code
      `),
    exclude: words('hash flag count type'),
  },
  value: {
    minDistinct: 2,
    minLength: 16,
    maxLength: 16,
    requires: CH_DIGIT | CH_LETTER,
    forbids: NUMERIC_FORBIDS | CH_DOT,
    test: (s: ValueShape) => {
      const v = s.upper === s.letters ? s.text : s.text.toUpperCase();
      if (!IT_CF_RE.test(v)) return 0;
      return itFiscalCodeCheck(v) ? 0.95 : SHAPE_ONLY;
    },
    validator: 'cf-check-letter',
    mask: (v: string) => maskKeepEnds(v, 0, 1),
  },
});

const AADHAAR_RE = /^[2-9]\d{3}([ -]?)\d{4}\1\d{4}$/;

export const IN_AADHAAR: Classifier = defineClassifier({
  id: 'GOV.IN_AADHAAR',
  name: 'Indian Aadhaar number',
  description: 'Aadhaar (UIDAI) numbers: 12 digits, Verhoeff check.',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['2341 2341 2346'],
  names: {
    strong: words(`
        aadhaar aadhar aadhaar_number aadhar_number aadhaar_no aadhar_no uidai aadhaar_id
        uid_number
      `),
    context: words('india indian kyc pan'),
    exclude: words('hash flag count type verified linked seeded'),
  },
  value: {
    minDistinct: 3,
    minLength: 12,
    maxLength: 14,
    requires: CH_DIGIT,
    forbids: NUMERIC_FORBIDS | CH_LETTER | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits !== 12 || !AADHAAR_RE.test(s.text)) return 0;
      const formatted = s.length === 14;
      return verhoeff(formatted ? digitsOnly(s.text) : s.text)
        ? formatted
          ? 0.8
          : 0.5
        : SHAPE_ONLY;
    },
    validator: 'verhoeff',
    negatives: NUMERIC_ID_NEGATIVES,
    mask: (v: string) => maskTail(v, 4),
  },
});

// ---------------------------------------------------------------------------------------------
// Generic national identifiers

const CPF_FORMATTED_RE = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;
/** Indian PAN: 4th letter is the holder type, P for an individual. */
const IN_PAN_RE = /^[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]$/;
const GENERIC_ID_RE = /^[A-Z0-9][A-Z0-9 ./-]{3,22}[A-Z0-9]$/i;

export const NATIONAL_ID: Classifier = defineClassifier({
  id: 'GOV.NATIONAL_ID',
  name: 'National identity number (generic)',
  description:
    'National identity, citizen, passport and personal numbers not covered by a country-specific classifier.',
  categories: ['PII', 'GOV'],
  sensitivity: 'RESTRICTED',
  threshold: 0.65,
  examples: ['123.456.789-09', 'AB1234567'],
  generic: true,
  names: {
    strong: words(`
        national_id nationalid national_id_number national_id_no national_identity_number
        national_identification_number national_number identity_number identity_no identity_card
        identity_card_number id_card id_card_number id_card_no idcard citizen_id citizen_number
        personal_id personal_number personal_id_number personnummer henkilotunnus bsn
        burgerservicenummer pesel cpf curp rut nric fin_number hkid emirates_id cnp jmbg egn oib
        amka cedula tc_kimlik tckn svnr sozialversicherungsnummer passport passport_number
        passport_no passport_num gov_id government_id govt_id id_document_number document_number
        tax_identification_number pan_number pan_no pan_card pan_card_number
        permanent_account_number
      `),
    weak: words('tax_id taxpayer_id tin id_number identity id_no'),
    context: words('kyc identity citizen citizens residents voter voters'),
    exclude: words(`
        hash flag count type verified expiry expiration expires issued issue country photo scan
        image status date issuing front back
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 5,
    maxLength: 24,
    requires: CH_DIGIT,
    forbids: CH_AT | CH_COLON | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => {
      if (s.length === 14 && CPF_FORMATTED_RE.test(s.text))
        return brCpfCheck(digitsOnly(s.text)) ? 0.7 : 0.05;
      if (s.length === 10 && IN_PAN_RE.test(s.text)) return s.text[3] === 'P' ? 0.6 : 0.3;
      return s.digits >= 4 && GENERIC_ID_RE.test(s.text) ? 0.05 : 0;
    },
    negatives: { ...NUMERIC_ID_NEGATIVES, PREFIXED_IDS: 0.5 },
    mask: (v: string) => maskTail(v, 3),
  },
});

export const GOV_CLASSIFIERS: readonly Classifier[] = [
  US_SSN,
  US_ITIN,
  US_PASSPORT,
  US_DRIVER_LICENSE,
  UK_NINO,
  UK_NHS_NUMBER,
  CA_SIN,
  FR_INSEE,
  DE_TAX_ID,
  ES_NIF,
  IT_FISCAL_CODE,
  IN_AADHAAR,
  NATIONAL_ID,
];
