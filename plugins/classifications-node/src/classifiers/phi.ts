import { isSpace, words } from '../text.js';
import { dictionaries } from '../dictionaries/index.js';
import { maskHead, maskKeepEnds, maskTail } from '../mask.js';
import {
  CH_AT,
  CH_COLON,
  CH_COMMA,
  CH_DIGIT,
  CH_DOLLAR,
  CH_LETTER,
  CH_PAREN,
  CH_SLASH,
  CH_SPACE,
  CH_UNDERSCORE,
  SHAPE_ONLY,
  type Classifier,
  type ValueShape,
} from '../types.js';
import { npiCheck } from '../validators.js';
import { defineClassifier, shapeKey } from './common.js';

const MRN_RE = /^[A-Z0-9][A-Z0-9-]{3,19}$/i;

export const MEDICAL_RECORD_NUMBER: Classifier = defineClassifier({
  id: 'PHI.MEDICAL_RECORD_NUMBER',
  name: 'Medical record number',
  description:
    'Hospital/clinic medical record numbers (MRN); recognised by column name and clinical context.',
  categories: ['PHI'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['MRN0048213', '00731942'],
  names: {
    strong: words(`
        mrn medical_record_number medical_record_no medical_record_num medical_record_id
        medical_record med_rec_no med_rec_num medrec medrec_no patient_mrn chart_number chart_no
        chart_num hospital_number hosp_no emr_id emr_number ehr_id ehr_number
        health_record_number patient_record_number patient_chart_number
      `),
    weak: words('patient_id patient_number patient_no record_number chart_id'),
    weakWeight: 0.45,
    context: words(`
        patient patients hospital clinical encounter encounters admission admissions ehr emr
        health medical diagnosis ward clinic
      `),
    exclude: words('hash flag count type status date source system verified'),
  },
  value: {
    minDistinct: 3,
    minLength: 4,
    maxLength: 20,
    requires: CH_DIGIT,
    forbids: CH_SPACE | CH_AT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => (s.digits >= 4 && MRN_RE.test(s.text) ? 0.05 : 0),
    maxStrength: 0.05,
    negatives: { TIMESTAMPS: 0.3, UUIDS: 0.4, VERSION_STRINGS: 0.3, SMALL_INT_RANGE: 0.3 },
    mask: (v: string) => maskTail(v, 3),
  },
});

const ICD10_DOTTED_RE = /^[A-TV-Z]\d[0-9AB]\.[0-9A-TV-Z]{1,4}$/;
const ICD10_PLAIN_RE = /^[A-TV-Z]\d[0-9AB][0-9A-TV-Z]{0,4}$/;

export const ICD10_CODE: Classifier = defineClassifier({
  id: 'PHI.ICD10_CODE',
  name: 'ICD-10 diagnosis code',
  description: 'ICD-10 / ICD-10-CM diagnosis codes (e.g. E11.9).',
  categories: ['PHI'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['E11.9', 'J45.909', 'I10'],
  names: {
    strong: words(`
        icd10 icd_10 icd10_code icd_10_code icd10cm icd_10_cm icd_code icd icd9 diagnosis_code
        diagnosis_cd diag_code diag_cd dx_code dx_cd dx primary_dx secondary_dx admitting_dx
        principal_diagnosis_code primary_diagnosis_code diagnosis_codes
      `),
    weak: words('diagnosis diag condition_code'),
    context: words(`
        patient patients diagnosis diagnoses encounter encounters claim claims clinical
        admission medical health
      `),
    exclude: words('description desc text name date count flag type version label title'),
  },
  value: {
    minDistinct: 3,
    minLength: 3,
    maxLength: 8,
    requires: CH_DIGIT | CH_LETTER,
    forbids: CH_SPACE | CH_AT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => {
      const v = s.upper === s.letters ? s.text : s.text.toUpperCase();
      if (ICD10_DOTTED_RE.test(v)) return 0.6;
      if (ICD10_PLAIN_RE.test(v)) return s.length === 3 ? 0.15 : 0.25;
      return 0;
    },
    negatives: { PREFIXED_IDS: 0.4, VERSION_STRINGS: 0.3 },
    mask: (v: string) => maskKeepEnds(v, 1, 0),
  },
});

export const US_NPI: Classifier = defineClassifier({
  id: 'PHI.US_NPI',
  name: 'US National Provider Identifier',
  description: 'NPIs of US healthcare providers (10 digits, Luhn over the 80840 prefix).',
  categories: ['PHI'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['1234567893', '1245319599'],
  names: {
    strong: words(`
        npi npi_number npi_no national_provider_identifier national_provider_id provider_npi
        prescriber_npi billing_npi rendering_npi attending_npi referring_npi ordering_npi
        physician_npi npi_id
      `),
    weak: words('provider_number provider_id'),
    context: words(`
        provider providers prescriber physician physicians doctor doctors clinic claim claims
        pharmacy hospital
      `),
    exclude: words('hash flag count type taxonomy name verified status'),
  },
  value: {
    minDistinct: 3,
    minLength: 10,
    maxLength: 10,
    requires: CH_DIGIT,
    forbids: CH_LETTER | CH_SPACE,
    test: (s: ValueShape) => {
      if (s.digits !== 10) return 0;
      const first = s.text.charCodeAt(0);
      if (first !== 49 && first !== 50) return 0;
      return npiCheck(s.text) ? 0.65 : SHAPE_ONLY;
    },
    validator: 'luhn-80840',
    negatives: { TIMESTAMPS: 0.2, SEQUENTIAL_IDS: 0.4 },
    mask: (v: string) => maskTail(v, 3),
  },
});

/** Whether a character separates the words of a condition phrase (`/[\s,;()/]/`). */
function isPhraseSeparator(c: number): boolean {
  return c === 44 || c === 59 || c === 40 || c === 41 || c === 47 || isSpace(c);
}

/** Number of words `key.split(/[\s,;()/]+/).filter(w => w.length > 0)` gives, without splitting. */
function wordCount(key: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < key.length; i++) {
    const word = !isPhraseSeparator(key.charCodeAt(i));
    if (word && !inWord) count++;
    inWord = word;
  }
  return count;
}

/** Whether a word of `key` (as `wordCount` delimits them) is in `set`. */
function someWord(key: string, set: ReadonlySet<string>): boolean {
  const n = key.length;
  let end = 0;
  for (;;) {
    let start = end;
    while (start < n && isPhraseSeparator(key.charCodeAt(start))) start++;
    if (start >= n) return false;
    end = start + 1;
    while (end < n && !isPhraseSeparator(key.charCodeAt(end))) end++;
    if (set.has(key.slice(start, end))) return true;
  }
}

function conditionStrength(s: ValueShape): number {
  if (s.digits > 3) return 0;
  const key = shapeKey(s);
  const d = dictionaries();
  if (d.healthConditions.has(key)) return 0.85;
  // Short phrases that contain a known condition: "Type 2 diabetes, controlled", "Asthma (mild)".
  if (s.spaces === 0 && (s.flags & (CH_COMMA | CH_PAREN | CH_SLASH)) === 0 && key.indexOf(';') < 0)
    return 0;
  const count = wordCount(key);
  if (count < 2 || count > 8) return 0;
  // Cheap rejection: no word of the value occurs in any condition.
  if (!someWord(key, d.healthConditionWords)) return 0;
  const words = key.split(/[\s,;()/]+/).filter(w => w.length > 0);
  const maxN = Math.min(d.healthConditionMaxWords, words.length);
  for (let n = maxN; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const phrase = n === 1 ? words[i]! : words.slice(i, i + n).join(' ');
      // Single short words ("flu", "tb") inside phrases are too ambiguous.
      if (n === 1 && phrase.length < 5) continue;
      if (d.healthConditions.has(phrase)) return 0.6;
    }
  }
  return 0;
}

export const HEALTH_CONDITION: Classifier = defineClassifier({
  id: 'PHI.HEALTH_CONDITION',
  name: 'Health condition',
  description: 'Diagnoses, diseases, allergies and other medical conditions in plain text.',
  categories: ['PHI', 'SPI'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['Type 2 diabetes', 'Asthma', 'Penicillin allergy'],
  names: {
    strong: words(`
        diagnosis diagnoses diagnosis_description diagnosis_desc diagnosis_name diagnosis_text
        medical_condition medical_conditions health_condition health_conditions
        chronic_condition chronic_conditions disease diseases illness illnesses allergy
        allergies medical_history comorbidity comorbidities primary_diagnosis
        secondary_diagnosis problem_list ailment disorder pre_existing_condition
        preexisting_condition dx_description dx_desc icd_description condition_name
        medical_problem disability
      `),
    weak: words(`
        condition conditions problem reason_for_visit chief_complaint complaint indication
      `),
    context: words(`
        patient patients medical clinical health hospital encounter encounters diagnosis
        admission claim claims ehr emr
      `),
    exclude: words('code codes cd id date count flag type status'),
  },
  value: {
    minDistinct: 3,
    minLength: 2,
    maxLength: 100,
    requires: CH_LETTER,
    forbids: CH_AT | CH_UNDERSCORE | CH_DOLLAR | CH_COLON,
    test: conditionStrength,
    dictionary: 'health-conditions',
    negatives: { FREE_TEXT: 0.4 },
    mask: maskHead,
  },
});

export const PHI_CLASSIFIERS: readonly Classifier[] = [
  MEDICAL_RECORD_NUMBER,
  ICD10_CODE,
  US_NPI,
  HEALTH_CONDITION,
];
