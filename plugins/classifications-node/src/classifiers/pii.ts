import { dictionaries } from '../dictionaries/index.js';
import { maskAll, maskEmail, maskHead, maskKeepEnds, maskWords } from '../mask.js';
import { digitsOnly, isSpace, words } from '../text.js';
import {
  CH_AT,
  CH_COLON,
  CH_COMMA,
  CH_DASH,
  CH_DIGIT,
  CH_DOLLAR,
  CH_DOT,
  CH_LETTER,
  CH_NON_ASCII,
  CH_PAREN,
  CH_PLUS,
  CH_SLASH,
  CH_SPACE,
  CH_UNDERSCORE,
  SHAPE_ONLY,
  type Classifier,
  type ValueShape,
} from '../types.js';
import { vinCheckDigit } from '../validators.js';
import { CURRENT_YEAR, defineClassifier, parseDate, shapeKey } from './common.js';

// ---------------------------------------------------------------------------------------------
// E-mail

const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$/;

export const EMAIL_ADDRESS: Classifier = defineClassifier({
  id: 'PII.EMAIL_ADDRESS',
  name: 'E-mail address',
  description: 'Personal or work e-mail addresses.',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['jane.doe@example.com', 'j.smith+news@example.org'],
  names: {
    strong: words(`
        email e_mail emailaddress email_addr* mail_address courriel correo emails email_id
      `),
    weak: words('mail contact recipient sender upn'),
    exclude: words(`
        domain verified opt optin count status template sent flag is has type bounce bounced
        consent
      `),
  },
  value: {
    minDistinct: 2,
    minLength: 6,
    maxLength: 254,
    requires: CH_AT | CH_DOT,
    forbids: CH_SPACE,
    test: (s: ValueShape) => (EMAIL_RE.test(s.text) ? 0.95 : 0),
    mask: maskEmail,
  },
});

// ---------------------------------------------------------------------------------------------
// Phone

const PHONE_CHARS_RE = /^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?|extension|#)\s*\d{1,6})?$/i;
const EXTENSION_RE = /\s*(?:x|ext\.?|extension|#)\s*\d{1,6}$/i;
const NANP_FORMATTED_RE =
  /^(?:\+?1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-])[2-9]\d{2}[\s.-]\d{4}$/;
const NANP_PLAIN_RE = /^1?[2-9]\d{2}[2-9]\d{6}$/;
const LOOKS_LIKE_DATE_RE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/;
const DOTTED_NUMBER_RE = /^\d+\.\d+(?:\.\d+){0,2}$/;
/** Frequent country calling codes (not exhaustive; +1 is handled as NANP). */
const CALLING_CODE_RE =
  /^(?:44|33|49|34|39|31|32|41|43|45|46|47|48|61|64|81|82|86|91|55|52|27|234|353|351|971|966|65|60|62|63|66|84|90|7)/;
const GROUPED_DIGITS_RE = /^\d{2,4}(?:[ .-]\d{2,4}){2,4}$/;

function phoneStrength(s: ValueShape): number {
  if (s.digits < 7 || s.digits > 15) return 0;
  const text = s.text;
  if (!PHONE_CHARS_RE.test(text) || LOOKS_LIKE_DATE_RE.test(text)) return 0;
  const main = s.letters > 0 ? text.replace(EXTENSION_RE, '') : text;
  if (s.letters > 0 && main === text) return 0;
  const separated = main.length !== s.digits + (main[0] === '+' ? 1 : 0);
  if (separated && DOTTED_NUMBER_RE.test(main)) return 0; // decimals, IPs, versions
  const digits = digitsOnly(main);
  if (digits.length < 7) return 0;
  if (main[0] === '+') return digits.length >= 8 && digits[0] !== '0' ? 0.85 : 0;
  // International 00 prefix followed by a country code: 0044 20 7946 0958.
  if (digits[0] === '0' && digits[1] === '0')
    return digits[2] !== '0' && digits.length >= 11 ? 0.6 : 0;
  if (NANP_FORMATTED_RE.test(main)) return 0.8;
  if (separated) {
    // National formats with a trunk 0: 020 7946 0958, 01 23 45 67 89, 089 23 3000.
    if (digits[0] === '0')
      return digits.length >= 10 && digits.length <= 12 ? 0.6 : digits.length >= 8 ? 0.4 : 0;
    // Grouped numbers without a trunk prefix (Spain, Italy, Nordics): 612 345 678.
    return digits.length >= 8 && digits.length <= 12 && GROUPED_DIGITS_RE.test(main) ? 0.3 : 0;
  }
  if (NANP_PLAIN_RE.test(digits)) return 0.35;
  // E.164 written without the plus (telecom records): 447700900461.
  if (digits.length >= 11 && digits.length <= 13 && CALLING_CODE_RE.test(digits)) return 0.25;
  if (digits[0] === '0' && digits[1] !== '0' && (digits.length === 10 || digits.length === 11))
    return 0.3;
  return 0;
}

export const PHONE_NUMBER: Classifier = defineClassifier({
  id: 'PII.PHONE_NUMBER',
  name: 'Phone number',
  description: 'Telephone, mobile and fax numbers in national or international format.',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['+1 415 555 0132', '(415) 555-0132', '+44 20 7946 0958'],
  names: {
    strong: words(`
        phone* telephone* tel tel_no telno mobile mobile_no mobile_number cell cellphone
        cell_phone fax fax_number msisdn contact_number contact_no telefono telefon telefone
        handy portable tel_number mob_no landline whatsapp movil telefono_movil celular telf
        telfx calling_number called_number calling_party called_party caller callee caller_id
        ani dnis sms_to sms_from
      `),
    weak: words('contact contact_no reach_at'),
    exclude: words(`
        type verified count flag is has country code ext extension prefix model brand make imei
        os carrier consent opt optin
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 7,
    maxLength: 32,
    requires: CH_DIGIT,
    forbids: CH_AT | CH_COLON | CH_COMMA | CH_DOLLAR | CH_UNDERSCORE,
    test: phoneStrength,
    negatives: { TIMESTAMPS: 0.3, SEQUENTIAL_IDS: 0.4, ISBNS: 0.3, VERSION_STRINGS: 0.3 },
    mask: (v: string) => maskKeepEnds(v, 0, 2),
  },
});

// ---------------------------------------------------------------------------------------------
// Person name

const TITLES = new Set(
  words(`
  mr mrs ms miss mx dr prof sir dame jr sr ii iii iv md phd esq mme mlle herr frau sra sr don
  dona
`),
);
/** Tokens that show a value is an organisation or a thing rather than a person. */
const NOT_PERSON = new Set(
  words(`
  inc corp corporation llc ltd limited gmbh ag sa sas sarl bv nv plc co company group holdings
  partners associates bank university college school hospital clinic foundation trust services
  solutions systems technologies technology consulting international global industries
  enterprises store shop restaurant hotel cafe the and of for street road avenue city county
  state park center centre north south east west new pro max mini plus edition pack set kit box
  size
`),
);
/** Given names and surnames that are also everyday words: alone they prove little. */
const AMBIGUOUS_WORDS = new Set(
  words(`
  will mark rose grace hope joy bill guy page price rice day king young white black brown green
  gray grey little stone fox hunt cook wood woods hill ward bell ruby amber jade ivy violet
  olive hazel pearl crystal april june summer autumn dawn sky river rock lake rich art chase
  long short gold silver rain snow star sun max may august lane west north park cash major
  sterling bishop knight carter cooper baker fisher hunter mason porter turner miller smith
  walker parker taylor jack jordan crew weaver gardner black love may sale true justice destiny
  unity faith glory liberty victoria florence paris london austin lincoln washington jackson
  madison houston dallas phoenix orlando georgia virginia carolina sydney chelsea regina florida
  nevada india china kenya jordan israel chad
`),
);
const CAPITALISED_WORDS_RE = /^\p{Lu}[\p{L}'’.-]*(?:[\s,]+\p{Lu}[\p{L}'’.-]*){0,3}$/u;

/** Whether a character separates the words of a person name (`/[\s,^]/`). */
function isNameSeparator(c: number): boolean {
  return c === 44 || c === 94 || isSpace(c);
}

/** Whether `text[from, to)` is only the letters a-z (`/^[a-z]+$/` on that slice). */
function lowerLettersOnly(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * 1 for "given name + surname", 0.85 for a lone known name, 0.7 for a multi-word value with one
 * known name, 0.1 for capitalised words of the right shape, 0 for anything else.
 */
function personStrength(s: ValueShape): number {
  // The dictionary key drops apostrophes and dots and splits hyphens: O'Brien → obrien.
  const key = shapeKey(s);
  const { firstNames, surnames } = dictionaries();
  let tokens = 0;
  let first = false;
  let last = false;
  let ambiguousOnly = true;
  // The words of the key (what `key.split(/[\s,^]+/)` gives, without the empty pieces).
  const n = key.length;
  let end = 0;
  for (;;) {
    let start = end;
    while (start < n && isNameSeparator(key.charCodeAt(start))) start++;
    if (start >= n) break;
    end = start + 1;
    while (end < n && !isNameSeparator(key.charCodeAt(end))) end++;
    // Titles are lower-case letters too, so any other token rules the value out.
    if (!lowerLettersOnly(key, start, end)) return 0;
    const t = key.slice(start, end);
    if (TITLES.has(t)) continue;
    if (NOT_PERSON.has(t)) return 0;
    if (++tokens > 4) return 0;
    if (!AMBIGUOUS_WORDS.has(t)) ambiguousOnly = false;
    const isFirst = firstNames.has(t);
    const isLast = surnames.has(t);
    // A token that is both (e.g. "james") fills whichever slot is still empty.
    if (isFirst && !first) first = true;
    else if (isLast && !last) last = true;
  }
  if (tokens === 0) return 0;
  const hits = (first ? 1 : 0) + (last ? 1 : 0);
  if (hits === 0) return CAPITALISED_WORDS_RE.test(s.text) ? 0.1 : 0;
  if (ambiguousOnly) return 0.3;
  if (tokens === 1) return 0.85;
  return hits === 2 ? 1 : 0.7;
}

export const PERSON_NAME: Classifier = defineClassifier({
  id: 'PII.PERSON_NAME',
  name: 'Person name',
  description: 'Given names, family names and full names of people.',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['Jane Doe', 'Smith, John', 'María José García'],
  names: {
    strong: words(`
        first_name firstname fname f_name given_name givenname forename last_name lastname lname
        l_name surname family_name familyname full_name fullname middle_name middlename
        maiden_name person_name customer_name cust_name client_name contact_name patient_name
        employee_name emp_name cardholder_name card_holder_name holder_name account_holder
        member_name student_name user_full_name legal_name birth_name nickname_full spouse_name
        mother_name father_name guardian_name beneficiary_name recipient_name nom prenom
        nom_famille nombre apellido* vorname nachname cognome nome nachn vorna name_first
        name_last first last middle given family
      `),
    weak: words(`
        name display_name author manager recipient beneficiary signatory attendee owner contact
        physician doctor nurse teacher instructor agent rep salesperson employee customer
        patient student driver passenger guest
      `),
    context: words(`
        person people customer customers employee employees patient patients contact contacts
        user users member members student students staff client clients
      `),
    exclude: words(`
        user username file filename product company business org organization organisation brand
        category table column schema host hostname domain app application service project team
        group role event campaign device dataset field tag item store shop bank vendor supplier
        merchant street city country state region server database db key queue topic bucket
        branch department dept course plan sku model method type status code id class label
        title trade legal_entity entity site location venue place building facility drug
        medication test procedure job step task report doc document folder path display screen
        login account char page sheet font color colour feature metric env environment region
        zone cluster pipeline workflow stage org_unit unit line quarter week month day hotel
        airline airport ship vessel game team league pet animal breed species ingredient recipe
      `),
  },
  value: {
    minDistinct: 4,
    minLength: 2,
    maxLength: 60,
    requires: CH_LETTER,
    forbids:
      CH_DIGIT | CH_AT | CH_SLASH | CH_COLON | CH_UNDERSCORE | CH_DOLLAR | CH_PLUS | CH_PAREN,
    test: personStrength,
    dictionary: 'first-names+surnames',
    negatives: { FREE_TEXT: 0.2 },
    mask: maskWords,
  },
});

// ---------------------------------------------------------------------------------------------
// Street address

const STREET_SUFFIX =
  'street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|trl|crescent|cres|close|grove|gardens|row|walk|mews|alley|plaza|loop|pike|run|path|crossing|point|ridge|hill|heights|view|park';
const STREET_EN_RE = new RegExp(
  `^(?:\\d{1,6}[a-z]?(?:-\\d{1,5})?|(?:apt|unit|suite|flat)\\s*\\S+,?)\\s+(?:[\\p{L}0-9.'’-]+\\s+){0,5}(?:${STREET_SUFFIX})\\.?(?:\\b.*)?$`,
  'iu',
);
const STREET_EU_RE =
  /^(?:\d{1,5}[a-z]?,?\s+)?(?:rue|avenue|av\.|boulevard|bd|allée|allee|chemin|impasse|place|quai|route|calle|avenida|av|paseo|plaza|camino|carrer|via|viale|piazza|corso|largo|rua|praça|travessa|estrada)\s+.{2,60}$/iu;
const STREET_DE_RE =
  /^[\p{L}.'’-]+(?:straße|strasse|str\.|weg|platz|gasse|allee|ring|damm|ufer|steig|pfad|markt)\s+\d{1,4}\s?[a-z]?(?:\s*[-/]\s*\d{1,4})?(?:,.*)?$/iu;
const STREET_DE_SPLIT_RE =
  /^[\p{L}.'’-]+(?:\s[\p{L}.'’-]+){0,3}\s(?:straße|strasse|str\.|weg|platz|gasse|allee)\s+\d{1,4}\s?[a-z]?(?:,.*)?$/iu;
const PO_BOX_RE =
  /^(?:p\.?\s?o\.?\s?box|post office box|postfach|apartado|boîte postale|bp)\s*\d{1,6}\b/i;
const NUMBER_WORDS_RE = /^\d{1,5}[a-z]?\s+(?:[\p{L}.'’-]+\s?){1,4}$/iu;

function streetStrength(s: ValueShape): number {
  const t = s.text;
  if (s.spaces === 0 || s.spaces > 14) return 0;
  if (
    STREET_EN_RE.test(t) ||
    STREET_EU_RE.test(t) ||
    STREET_DE_RE.test(t) ||
    STREET_DE_SPLIT_RE.test(t)
  )
    return 0.85;
  if (PO_BOX_RE.test(t)) return 0.8;
  if (NUMBER_WORDS_RE.test(t)) return 0.2;
  return 0;
}

export const STREET_ADDRESS: Classifier = defineClassifier({
  id: 'PII.STREET_ADDRESS',
  name: 'Street address',
  description: 'Street addresses, address lines and PO boxes.',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['221B Baker Street', '1600 Pennsylvania Ave NW', '12 rue de la Paix', 'Hauptstraße 5'],
  names: {
    strong: words(`
        address addr street street_address streetaddress address_line* addr_line* addressline*
        address1 address2 addr1 addr2 billing_address shipping_address mailing_address
        home_address residential_address postal_address street_name street_line adresse
        direccion indirizzo endereco strasse anschrift residence stras
      `),
    weak: words('line1 line_1 location domicile'),
    exclude: words(`
        email mail ip mac wallet url web btc eth crypto memory hw ipv4 ipv6 bitcoin remote
        server host validated verified type id count flag is has
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 5,
    maxLength: 120,
    requires: CH_LETTER | CH_SPACE,
    forbids: CH_AT | CH_UNDERSCORE | CH_DOLLAR,
    test: streetStrength,
    negatives: { FREE_TEXT: 0.4 },
    mask: (v: string) => v.replace(/\p{L}[\p{L}'’-]*/gu, w => w[0] + '***').replace(/\d/g, '*'),
  },
});

// ---------------------------------------------------------------------------------------------
// City, state/province, country

const PLACE_RE = /^\p{L}[\p{L}'’.-]*(?:\s+\p{L}[\p{L}'’.-]*){0,3}$/u;

function cityStrength(s: ValueShape): number {
  if (s.digits > 0) return 0;
  const key = shapeKey(s);
  // "Springfield, IL" / "Paris, France": the city is the part before the comma.
  const comma = key.indexOf(',');
  const head = comma > 0 ? key.slice(0, comma).trim() : key;
  const d = dictionaries();
  if (d.cities.has(head)) {
    // Also a country or state (Singapore, New York, Georgia): weaker on its own.
    return d.countryNames.has(head) || d.regionNames.has(head) ? 0.45 : 0.75;
  }
  const text = comma > 0 ? s.text.slice(0, s.text.indexOf(',')) : s.text;
  return s.upper > 0 && PLACE_RE.test(text) ? 0.15 : 0;
}

export const CITY: Classifier = defineClassifier({
  id: 'PII.CITY',
  name: 'City',
  description: 'City, town or locality names.',
  categories: ['PII'],
  sensitivity: 'INTERNAL',
  threshold: 0.6,
  examples: ['Lisbon', 'São Paulo', 'Springfield, IL'],
  names: {
    strong: words(`
        city town municipality locality city_name cityname ville ciudad citta cidade stadt ort
        birth_city home_city billing_city shipping_city place_of_birth birthplace birth_place
        commune suburb ort wohnort woonplaats citta localite
      `),
    weak: words('location place hometown'),
    exclude: words('id code count population tax council hall ethnicity'),
  },
  value: {
    minDistinct: 4,
    minLength: 2,
    maxLength: 60,
    requires: CH_LETTER,
    forbids: CH_DIGIT | CH_AT | CH_UNDERSCORE | CH_DOLLAR | CH_SLASH | CH_COLON,
    test: cityStrength,
    dictionary: 'cities',
    negatives: { FREE_TEXT: 0.2 },
    mask: maskHead,
  },
});

function stateStrength(s: ValueShape): number {
  if (s.digits > 0) return 0;
  const d = dictionaries();
  if (s.length <= 3 && s.spaces === 0) {
    if (s.upper === s.length && d.regionCodes.has(s.text)) return 0.45;
    return 0;
  }
  const key = shapeKey(s);
  if (d.regionNames.has(key)) {
    if (d.countryNames.has(key)) return 0.4; // Georgia
    return d.cities.has(key) ? 0.6 : 0.8; // New York, Victoria
  }
  return PLACE_RE.test(s.text) && s.upper > 0 ? 0.1 : 0;
}

export const STATE_PROVINCE: Classifier = defineClassifier({
  id: 'PII.STATE_PROVINCE',
  name: 'State or province',
  description:
    'First-level administrative regions: US states, Canadian provinces and similar, by name or code.',
  categories: ['PII'],
  sensitivity: 'INTERNAL',
  threshold: 0.6,
  examples: ['California', 'ON', 'Québec'],
  names: {
    strong: words(`
        state province state_code state_province province_code prov state_name region_code
        us_state home_state billing_state shipping_state state_of_residence provincia bundesland
        departement county_state stateprovince st regio
      `),
    weak: words('region territory county'),
    exclude: words(`
        status id machine workflow order job task flow transition previous prev next current
        final initial estate statement tax rate lifecycle process session connection app ui
        device system sync
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 2,
    maxLength: 40,
    requires: CH_LETTER,
    forbids: CH_DIGIT | CH_AT | CH_UNDERSCORE | CH_DOLLAR | CH_SLASH | CH_COLON | CH_COMMA,
    test: stateStrength,
    dictionary: 'regions',
    negatives: { FREE_TEXT: 0.2 },
    mask: maskHead,
  },
});

export const COUNTRY: Classifier = defineClassifier({
  id: 'PII.COUNTRY',
  name: 'Country',
  description: 'Country names and ISO 3166 country codes (quasi-identifier when linked to people).',
  categories: ['PII'],
  sensitivity: 'INTERNAL',
  threshold: 0.6,
  examples: ['Portugal', 'DEU', 'FR'],
  names: {
    strong: words(`
        country country_code countrycode country_name nationality citizenship country_of_birth
        country_of_residence birth_country home_country billing_country shipping_country pays
        pais land nation iso_country cntry ctry natio nationality_code
      `),
    weak: words('iso2 iso3 origin'),
    exclude: words('count tax calling dial phone currency language locale flag'),
  },
  value: {
    minDistinct: 3,
    minLength: 2,
    maxLength: 50,
    requires: CH_LETTER,
    forbids: CH_DIGIT | CH_AT | CH_UNDERSCORE | CH_DOLLAR | CH_SLASH | CH_COLON,
    test: (s: ValueShape) => {
      const d = dictionaries();
      if (s.length <= 3 && s.spaces === 0 && s.upper === s.length) {
        if (s.length === 3) return d.countryAlpha3.has(s.text) ? 0.5 : 0;
        return d.countryAlpha2.has(s.text) ? 0.35 : 0;
      }
      const key = shapeKey(s);
      if (d.countryNames.has(key)) return 0.85;
      return d.demonyms.has(key) ? 0.7 : 0;
    },
    dictionary: 'countries',
    negatives: { FREE_TEXT: 0.2 },
    mask: maskHead,
  },
});

// ---------------------------------------------------------------------------------------------
// Postal code

const US_ZIP5_RE = /^\d{5}$/;
const US_ZIP9_RE = /^\d{5}-\d{4}$/;
const UK_POSTCODE_RE =
  /^(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d(?:\d|[ABEHMNPRV-Y])?|\d[A-HJKPS-UW]) ?\d[ABD-HJLNP-UW-Z]{2})$/i;
const CA_POSTCODE_RE = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i;
const NL_POSTCODE_RE = /^[1-9]\d{3} ?[A-Z]{2}$/;
const DASHED_POSTCODE_RE = /^(?:\d{2}-\d{3}|\d{4}-\d{3}|\d{5}-\d{3}|\d{3}-\d{4})$/; // PL, PT, BR, JP
const SPACED_POSTCODE_RE = /^\d{3} \d{2}$/; // SE, CZ, SK, GR
const PREFIXED_POSTCODE_RE = /^(?:[A-Z]{1,2}-)\d{4,5}$/; // D-10115, F-75001, CH-8001

function postalStrength(s: ValueShape): number {
  const t = s.text;
  if (s.letters === 0) {
    if (s.length === 5 && US_ZIP5_RE.test(t)) return 0.15;
    if (s.length === 10 && US_ZIP9_RE.test(t)) return 0.65;
    if (s.length === 4) return /^\d{4}$/.test(t) ? 0.05 : 0;
    if (s.length === 6 && /^\d{6}$/.test(t)) return 0.05; // IN, RU, CN, SG
    if (DASHED_POSTCODE_RE.test(t)) return 0.4;
    if (SPACED_POSTCODE_RE.test(t)) return 0.35;
    return 0;
  }
  if (UK_POSTCODE_RE.test(t)) return s.spaces === 1 ? 0.85 : 0.6;
  if (CA_POSTCODE_RE.test(t)) return 0.85;
  if (NL_POSTCODE_RE.test(t)) return 0.5;
  if (PREFIXED_POSTCODE_RE.test(t)) return 0.5;
  return 0;
}

export const POSTAL_CODE: Classifier = defineClassifier({
  id: 'PII.POSTAL_CODE',
  name: 'Postal code',
  description: 'ZIP and postal codes (US, UK, Canada, EU and others).',
  categories: ['PII'],
  sensitivity: 'INTERNAL',
  threshold: 0.6,
  examples: ['94105', '94105-1234', 'SW1A 1AA', 'K1A 0B1'],
  names: {
    strong: words(`
        zip zipcode zip_code zip5 zip4 postal postal_code postalcode postcode post_code plz
        postleitzahl cp code_postal codigo_postal cap cep pincode pin_code postal_cd zip_cd
        zipcd pstlz post_cd
      `),
    weak: words('postal_area'),
    exclude: words('count tax file archive compressed zipped size table limit max'),
  },
  value: {
    minDistinct: 3,
    minLength: 4,
    maxLength: 10,
    requires: CH_DIGIT,
    forbids: CH_AT | CH_DOT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: postalStrength,
    negatives: { SEQUENTIAL_IDS: 0.5, SMALL_INT_RANGE: 0.2, ACADEMIC_YEARS: 0.3 },
    mask: (v: string) => maskKeepEnds(v, 2, 0),
  },
});

// ---------------------------------------------------------------------------------------------
// Date of birth, gender, age

function dobStrength(s: ValueShape): number {
  const d = parseDate(s.text);
  if (!d || d.hasTime || d.year < 1900 || d.year > CURRENT_YEAR) return 0;
  return d.compact ? 0.05 : 0.1;
}

export const DATE_OF_BIRTH: Classifier = defineClassifier({
  id: 'PII.DATE_OF_BIRTH',
  name: 'Date of birth',
  description: 'Birth dates of people.',
  categories: ['PII', 'SPI'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['1984-03-12', '12/03/1984', '3 March 1984'],
  names: {
    strong: words(`
        dob date_of_birth dateofbirth birth_date birthdate birthday date_birth birth_dt dt_birth
        bday born_on born geburtsdatum date_naissance date_de_naissance datenaissance
        fecha_nacimiento fecha_de_nacimiento data_nascita data_di_nascita data_nascimento birth
        gbdat geburtstag
      `),
    exclude: words(`
        place city country weight order name certificate rate count year month registration
        control mark death
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 6,
    maxLength: 30,
    requires: CH_DIGIT,
    forbids: CH_AT | CH_UNDERSCORE | CH_DOLLAR,
    test: dobStrength,
    maxStrength: 0.1,
    mask: (v: string) => v.replace(/\d/g, '*'),
  },
});

const GENDER_WORDS = new Set([
  'male',
  'female',
  'man',
  'woman',
  'men',
  'women',
  'boy',
  'girl',
  'nonbinary',
  'non binary',
  'other',
  'homme',
  'femme',
  'mujer',
  'hombre',
  'masculino',
  'femenino',
  'masculin',
  'feminin',
  'mannlich',
  'weiblich',
  'divers',
  'transgender',
  'trans',
  'agender',
  'genderqueer',
  'intersex',
  'prefer not to say',
  'not specified',
  'undisclosed',
  'trans man',
  'trans woman',
  'genderfluid',
  'maschio',
  'femmina',
]);
const GENDER_LETTERS = new Set(words('m f x u o h w d n'));
const GENDER_DIGITS = new Set(['0', '1', '2', '9']);

export const GENDER: Classifier = defineClassifier({
  id: 'PII.GENDER',
  name: 'Gender',
  description: 'Sex or gender of a person.',
  categories: ['PII', 'SPI'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['Female', 'M', 'non-binary'],
  names: {
    strong: words(`
        gender sex gender_code sex_code gender_identity sexe geschlecht genero sexo sesso
        gender_cd sex_cd gesch anrede_geschlecht
      `),
    exclude: words('id count ratio pay gap offender neutral preference'),
  },
  value: {
    minDistinct: 2,
    minLength: 1,
    maxLength: 20,
    forbids: CH_AT | CH_DOT | CH_UNDERSCORE | CH_DOLLAR | CH_SLASH | CH_COLON | CH_COMMA,
    test: (s: ValueShape) => {
      if (s.length === 1) {
        if (s.digits === 1) return GENDER_DIGITS.has(s.text) ? 0.05 : 0;
        return GENDER_LETTERS.has(shapeKey(s)) ? 0.3 : 0;
      }
      return s.digits === 0 && GENDER_WORDS.has(shapeKey(s)) ? 0.75 : 0;
    },
    dictionary: 'gender-terms',
    mask: maskAll,
  },
});

const AGE_RE =
  /^(?:\d{1,3}(?:\.\d)?|\d{1,3}\s*[-–]\s*\d{1,3}|\d{1,3}\+|\d{1,3}\s*(?:y|yr|yrs|years?|ans|años|jahre))$/i;

export const AGE: Classifier = defineClassifier({
  id: 'PII.AGE',
  name: 'Age',
  description: 'Age of a person in years, or an age band.',
  categories: ['PII', 'SPI'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['34', '65+', '18-24'],
  names: {
    strong: words(`
        age age_years age_in_years patient_age customer_age member_age current_age age_at_*
        age_group age_band age_range ageyears edad eta idade alter_jahre age_yrs age_yr
      `),
    exclude: words(`
        page stage usage image storage mileage voltage dosage percentage average avg days hours
        minutes seconds ms max min limit cache ttl data account inventory invoice debt ticket
        record building vehicle car equipment asset file document session token password key
        aging bucket
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 1,
    maxLength: 12,
    requires: CH_DIGIT,
    forbids: CH_AT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => {
      if (!AGE_RE.test(s.text)) return 0;
      const n = parseInt(s.text, 10);
      return n >= 0 && n <= 120 ? 0.05 : 0;
    },
    negatives: { SMALL_INT_RANGE: 0.5, SEQUENTIAL_IDS: 0.3 },
    maxStrength: 0.05,
    mask: maskAll,
  },
});

// ---------------------------------------------------------------------------------------------
// Username

const USERNAME_RE = /^[A-Za-z][A-Za-z0-9._-]{2,31}$/;

export const USERNAME: Classifier = defineClassifier({
  id: 'PII.USERNAME',
  name: 'Username',
  description: 'Login names, handles and account names that identify a person.',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['jdoe', 'jane.doe42', 'j_smith'],
  names: {
    strong: words(`
        username user_name login login_name loginname login_id user_login userlogin handle
        screen_name screenname nickname nick uname sam_account_name samaccountname
        user_principal_name github_handle twitter_handle slack_handle account_name created_by
        updated_by modified_by author_login owner_login
      `),
    weak: words('user userid user_id owner author assignee reporter principal member'),
    exclude: words(`
        count type attempt attempts at date time ts failed last agent method provider url hash
        is has flag
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 3,
    maxLength: 32,
    requires: CH_LETTER,
    forbids: CH_SPACE | CH_AT | CH_COLON | CH_SLASH | CH_COMMA | CH_DOLLAR | CH_PAREN | CH_PLUS,
    test: (s: ValueShape) => (USERNAME_RE.test(s.text) ? 0.1 : 0),
    maxStrength: 0.1,
    negatives: { UUIDS: 0.2, PREFIXED_IDS: 0.4, VERSION_STRINGS: 0.2 },
    mask: (v: string) => maskKeepEnds(v, 1, 0),
  },
});

// ---------------------------------------------------------------------------------------------
// Network and device identifiers

const IPV4_RE =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/\d{1,2}|:\d{1,5})?$/;
const HEX_GROUP_RE = /^[0-9a-f]{1,4}$/i;

/** IPv6 in full, compressed (`::`) or IPv4-mapped form, with an optional `/prefix` or `%zone`. */
const IPV6_CHARS_RE = /^\[?[0-9A-Fa-f:.]+\]?(?:\/\d{1,3}|%\w+)?$/;

export function isIpv6(text: string): boolean {
  if (!IPV6_CHARS_RE.test(text)) return false;
  let t = text;
  const slash = t.indexOf('/');
  if (slash >= 0) t = t.slice(0, slash);
  const pct = t.indexOf('%');
  if (pct >= 0) t = t.slice(0, pct);
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const dbl = t.indexOf('::');
  if (dbl >= 0 && t.indexOf('::', dbl + 1) >= 0) return false;
  const parts = t.split(':');
  let groups = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '') continue;
    if (i === parts.length - 1 && p.includes('.')) {
      if (!IPV4_RE.test(p)) return false;
      groups += 2;
    } else if (HEX_GROUP_RE.test(p)) groups++;
    else return false;
  }
  return dbl >= 0 ? groups < 8 && parts.length >= 3 : groups === 8;
}

export const IP_ADDRESS: Classifier = defineClassifier({
  id: 'PII.IP_ADDRESS',
  name: 'IP address',
  description: 'IPv4 and IPv6 addresses (personal data under GDPR when tied to a user).',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['192.0.2.17', '2001:db8::8a2e:370:7334'],
  names: {
    strong: words(`
        ip ip_address ipaddress ip_addr ipaddr ipv4 ipv6 client_ip remote_ip remote_addr
        source_ip src_ip dest_ip dst_ip host_ip user_ip last_ip login_ip x_forwarded_for
        forwarded_for ip_v4 ip_v6
      `),
    weak: words('host remote peer client_address'),
    context: words('inet cidr'),
    exclude: words('count version type allowed range country geo city flag'),
  },
  value: {
    minDistinct: 2,
    minLength: 2,
    maxLength: 50,
    forbids: CH_SPACE | CH_AT | CH_COMMA | CH_UNDERSCORE | CH_DOLLAR,
    test: (s: ValueShape) => {
      if ((s.flags & CH_COLON) !== 0 && s.length >= 3 && !IPV4_RE.test(s.text))
        return isIpv6(s.text) ? 0.95 : 0;
      const m = IPV4_RE.exec(s.text);
      if (!m) return 0;
      // `1.2.3.4`-style values with tiny octets are far more often version numbers.
      const looksLikeVersion =
        Number(m[1]) < 10 && Number(m[2]) < 30 && Number(m[3]) < 50 && Number(m[4]) < 100;
      return looksLikeVersion ? 0.3 : 0.9;
    },
    negatives: { VERSION_STRINGS: 0.3 },
    mask: (v: string) =>
      v.includes(':') ? maskKeepEnds(v, 4, 0) : v.replace(/\.\d+\.\d+$/, '.***.***'),
  },
});

const MAC_RE = /^(?:[0-9A-Fa-f]{2}([:-]))(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$/;
const MAC_CISCO_RE = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;
const HEX12_RE = /^[0-9A-Fa-f]{12}$/;

export const MAC_ADDRESS: Classifier = defineClassifier({
  id: 'PII.MAC_ADDRESS',
  name: 'MAC address',
  description: 'Hardware (Ethernet/Wi-Fi) addresses that identify a device.',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['00:1A:2B:3C:4D:5E', '001a.2b3c.4d5e'],
  names: {
    strong: words(`
        mac mac_address macaddress mac_addr macaddr hw_address hwaddr hardware_address bssid
        wifi_mac eth_mac device_mac
      `),
    context: words('macaddr macaddr8'),
    exclude: words('count vendor os book pro'),
  },
  value: {
    minDistinct: 2,
    minLength: 12,
    maxLength: 17,
    forbids: CH_SPACE | CH_AT | CH_UNDERSCORE | CH_SLASH,
    test: (s: ValueShape) => {
      if (MAC_RE.test(s.text) || MAC_CISCO_RE.test(s.text)) return 0.95;
      return s.length === 12 && s.letters > 0 && s.digits > 0 && HEX12_RE.test(s.text) ? 0.2 : 0;
    },
    negatives: { UUIDS: 0.2 },
    mask: (v: string) => maskKeepEnds(v, 6, 0),
  },
});

const LAT_LON_PAIR_RE = /^[([]?\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*[)\]]?$/;
const WKT_POINT_RE = /^(?:SRID=\d+;)?POINT\s*\(\s*(-?\d{1,3}\.\d+)\s+(-?\d{1,2}\.\d+)\s*\)$/i;
const DMS_RE =
  /^\d{1,3}°\s?\d{1,2}['′]\s?(?:\d{1,2}(?:\.\d+)?["″]\s?)?[NSEW],?\s*\d{1,3}°\s?\d{1,2}['′]\s?(?:\d{1,2}(?:\.\d+)?["″]\s?)?[NSEW]$/i;
const SINGLE_COORD_RE = /^-?\d{1,3}\.(\d{4,})$/;

function geoStrength(s: ValueShape): number {
  const t = s.text;
  // Pairs and single coordinates hold no ASCII letters (pairs may have non-ASCII white space,
  // which shapes count as letters); WKT and DMS do.
  let m = s.letters === 0 || (s.flags & CH_NON_ASCII) !== 0 ? LAT_LON_PAIR_RE.exec(t) : null;
  if (m) {
    const lat = Number(m[1]);
    const lon = Number(m[2]);
    const decimals = Math.max(m[1]!.split('.')[1]?.length ?? 0, m[2]!.split('.')[1]?.length ?? 0);
    return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && decimals >= 3 ? 0.85 : 0;
  }
  m = s.letters > 0 ? WKT_POINT_RE.exec(t) : null;
  if (m) return Math.abs(Number(m[1])) <= 180 && Math.abs(Number(m[2])) <= 90 ? 0.9 : 0;
  if ((s.flags & CH_NON_ASCII) !== 0 && DMS_RE.test(t)) return 0.85; // degree signs
  m = s.letters === 0 && (s.flags & CH_DOT) !== 0 ? SINGLE_COORD_RE.exec(t) : null;
  if (m) return Math.abs(Number(t)) <= 180 ? 0.1 : 0;
  return 0;
}

export const GEO_COORDINATES: Classifier = defineClassifier({
  id: 'PII.GEO_COORDINATES',
  name: 'Geographic coordinates',
  description: 'Latitude/longitude pairs or single coordinates precise enough to locate a person.',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['38.7223,-9.1393', 'POINT(-9.1393 38.7223)', '40°26′46″N 79°58′56″W'],
  names: {
    strong: words(`
        lat latitude lon lng long longitude coords coordinates coordinate geo geolocation
        geo_location gps latlng lat_lng latlon lat_lon lat_long geopoint geo_point
        location_point position geom geometry
      `),
    weak: words('location loc point'),
    exclude: words('accuracy count precision source name id type description text term desc'),
  },
  value: {
    minDistinct: 3,
    minLength: 5,
    maxLength: 60,
    requires: CH_DIGIT,
    forbids: CH_AT | CH_UNDERSCORE | CH_DOLLAR | CH_SLASH,
    test: geoStrength,
    mask: (v: string) => v.replace(/(\d+\.\d)\d+/g, '$1***').replace(/(\d+°)[^NSEW,]*/g, '$1***'),
  },
});

const VIN_RE = /^[A-HJ-NPR-Z0-9]{17}$/;

export const VEHICLE_ID: Classifier = defineClassifier({
  id: 'PII.VEHICLE_ID',
  name: 'Vehicle identification number',
  description: 'VINs (17 characters; North-American check digit validated).',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['1M8GDM9AXKP042788', '1HGCM82633A004352'],
  names: {
    strong: words(`
        vin vin_number vin_no vehicle_id vehicle_identification_number vehicle_vin
        chassis_number chassis_no vehicle_identifier car_vin
      `),
    exclude: words('count decoded make model year valid type'),
  },
  value: {
    minDistinct: 2,
    minLength: 17,
    maxLength: 17,
    requires: CH_DIGIT | CH_LETTER,
    forbids: CH_SPACE | CH_DASH | CH_DOT,
    test: (s: ValueShape) => {
      const v = s.upper === s.letters ? s.text : s.text.toUpperCase();
      if (!VIN_RE.test(v)) return 0;
      return vinCheckDigit(v) ? 0.95 : SHAPE_ONLY;
    },
    validator: 'vin-check-digit',
    shapeOnlyCompatible: true,
    mask: (v: string) => maskKeepEnds(v, 3, 0),
  },
});

export const PII_CLASSIFIERS: readonly Classifier[] = [
  EMAIL_ADDRESS,
  PHONE_NUMBER,
  PERSON_NAME,
  STREET_ADDRESS,
  CITY,
  STATE_PROVINCE,
  POSTAL_CODE,
  COUNTRY,
  DATE_OF_BIRTH,
  GENDER,
  AGE,
  USERNAME,
  IP_ADDRESS,
  MAC_ADDRESS,
  GEO_COORDINATES,
  VEHICLE_ID,
];
