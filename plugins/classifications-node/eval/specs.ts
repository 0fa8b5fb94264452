// Column specifications for the synthetic fixtures: what a column of each kind looks like in real
// databases (names, tables, neighbours, value formats, dirt). Written from the data's point of
// view, not from the engine's rules.
import * as P from './pools.js';
import {
  aadhaar,
  abaRouting,
  ALNUM,
  base64url,
  btcBase58,
  btcBech32,
  caSin,
  cardNumber,
  cpf,
  deTaxId,
  DIGITS,
  esDni,
  formatCard,
  HEX,
  iban,
  insee,
  itFiscalCode,
  itin,
  LOWER,
  nhsNumber,
  nino,
  npi,
  Rng,
  ssn,
  UPPER,
  vin,
} from './random.js';

export interface Spec {
  kind: string;
  expected: string[];
  acceptable?: string[];
  /** Column name variants; even positions go to the dev split, odd ones to the holdout split. */
  names: string[];
  tables: string[];
  neighbours: string[];
  value: (rng: Rng) => unknown;
  /** Per-column value generator, for columns whose values share a format chosen once. */
  perColumn?: (rng: Rng) => (rng: Rng) => unknown;
  /** Share of junk values mixed in (typos, free text, placeholders). */
  dirt?: number;
  /** Number of sampled values [min, max]. */
  size?: [number, number];
  /** Columns per split. */
  count?: number;
}

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '');
const given = (r: Rng): string => r.pick(P.GIVEN_NAMES);
const family = (r: Rng): string => r.pick(P.FAMILY_NAMES);
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function email(r: Rng): string {
  const f = ascii(given(r)).toLowerCase();
  const l = ascii(family(r)).toLowerCase();
  const local = r.pick([
    `${f}.${l}`,
    `${f[0]}${l}`,
    `${f}${r.int(1, 99)}`,
    `${f}_${l}`,
    `${l}.${f}`,
    `${f}.${l}+shop`,
  ]);
  const out = `${local}@${r.pick(P.EMAIL_DOMAINS)}`;
  return r.chance(0.1) ? out.replace(/^./, c => c.toUpperCase()) : out;
}

function phone(r: Rng, style?: number): string {
  const area = r.int(201, 989);
  const ex = r.int(200, 999);
  const line = pad(r.int(0, 9999), 4);
  switch (style ?? r.int(0, 9)) {
    case 0:
      return `(${area}) ${ex}-${line}`;
    case 1:
      return `${area}-${ex}-${line}`;
    case 2:
      return `${area}.${ex}.${line}`;
    case 3:
      return `+1 ${area} ${ex} ${line}`;
    case 4:
      return `+1${area}${ex}${line}`;
    case 5:
      return `+44 20 ${r.int(3000, 8999)} ${pad(r.int(0, 9999), 4)}`;
    case 6:
      return `07${r.int(100, 999)} ${r.int(100000, 999999)}`;
    case 7:
      return `+33 6 ${pad(r.int(0, 99), 2)} ${pad(r.int(0, 99), 2)} ${pad(r.int(0, 99), 2)} ${pad(r.int(0, 99), 2)}`;
    case 8:
      return `+49 30 ${r.int(1000000, 99999999)}`;
    default:
      return `+91 ${r.int(70000, 99999)} ${r.int(10000, 99999)}`;
  }
}

function personName(r: Rng, style: number): string {
  switch (style) {
    case 0:
      return `${given(r)} ${family(r)}`;
    case 1:
      return `${family(r)}, ${given(r)}`;
    case 2:
      return `${given(r)} ${r.pick(UPPER.split(''))}. ${family(r)}`;
    case 3:
      return `${given(r)} ${family(r)}`.toUpperCase();
    default:
      return `${r.pick(['Dr.', 'Mr.', 'Ms.', 'Mrs.'])} ${given(r)} ${family(r)}`;
  }
}

function street(r: Rng): string {
  const k = r.int(0, 9);
  if (k <= 5) {
    const base = `${r.int(1, 9999)} ${r.pick(P.STREET_NAMES)} ${r.pick(P.STREET_TYPES)}`;
    return r.chance(0.2)
      ? `${base} ${r.pick(['Apt', 'Suite', 'Unit', '#'])} ${r.int(1, 40)}${r.pick(['', 'B', 'C'])}`
      : base;
  }
  if (k === 6) return `${r.int(1, 120)} ${r.pick(P.EU_STREETS)}`;
  if (k === 7) return `${r.pick(P.DE_STREETS)} ${r.int(1, 150)}${r.pick(['', 'a', 'b'])}`;
  if (k === 8) return `PO Box ${r.int(100, 99999)}`;
  return `${r.pick(P.EU_STREETS)}, ${r.int(1, 99)}`;
}

function postal(r: Rng): string {
  const k = r.int(0, 7);
  if (k <= 2) return pad(r.int(501, 99950), 5);
  if (k === 3) return `${pad(r.int(501, 99950), 5)}-${pad(r.int(1, 9999), 4)}`;
  if (k === 4)
    return `${r.pick(['SW', 'EC', 'M', 'B', 'LS', 'G', 'CF', 'EH'])}${r.int(1, 20)} ${r.int(1, 9)}${r.chars(2, 'ABDEFGHJLNPQRSTUWXYZ')}`;
  if (k === 5)
    return `${r.pick('ABCEGHJKLMNPRSTVXY'.split(''))}${r.int(0, 9)}${r.pick('ABCEGHJKLMNPRSTVWXYZ'.split(''))} ${r.int(0, 9)}${r.pick('ABCEGHJKLMNPRSTVWXYZ'.split(''))}${r.int(0, 9)}`;
  if (k === 6) return `${r.int(1000, 9999)} ${r.chars(2, UPPER)}`;
  return pad(r.int(1000, 95999), 5);
}

function date(r: Rng, yearFrom: number, yearTo: number, style: number): unknown {
  const y = r.int(yearFrom, yearTo);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  switch (style) {
    case 0:
      return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
    case 1:
      return `${pad(m, 2)}/${pad(d, 2)}/${y}`;
    case 2:
      return `${pad(d, 2)}.${pad(m, 2)}.${y}`;
    case 3:
      return new Date(Date.UTC(y, m - 1, d));
    case 4:
      return `${d} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`;
    default:
      return `${y}-${pad(m, 2)}-${pad(d, 2)}T00:00:00Z`;
  }
}

function timestamp(r: Rng, style: number): unknown {
  const ms = Date.UTC(2019, 0, 1) + Math.floor(r.next() * 5 * 365 * 86400000);
  switch (style) {
    case 0:
      return new Date(ms).toISOString();
    case 1:
      return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
    case 2:
      return Math.floor(ms / 1000);
    case 3:
      return ms;
    default:
      return new Date(ms);
  }
}

function ipv4(r: Rng): string {
  const k = r.int(0, 3);
  if (k === 0) return `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  if (k === 1) return `192.168.${r.int(0, 255)}.${r.int(1, 254)}`;
  return `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

function ipv6(r: Rng): string {
  const g = (): string => r.chars(r.int(1, 4), HEX).replace(/^0+(?=.)/, '');
  return r.chance(0.5) ? `2001:db8:${g()}:${g()}::${g()}` : Array.from({ length: 8 }, g).join(':');
}

function mac(r: Rng, style: number): string {
  const bytes = Array.from({ length: 6 }, () => r.chars(2, HEX));
  if (style === 0) return bytes.join(':');
  if (style === 1) return bytes.join('-').toUpperCase();
  const s = bytes.join('');
  return `${s.slice(0, 4)}.${s.slice(4, 8)}.${s.slice(8)}`;
}

const coord = (r: Rng, max: number, decimals: number): string =>
  (r.next() * 2 * max - max).toFixed(decimals);

function jwt(r: Rng): string {
  const header = base64url(JSON.stringify({ alg: r.pick(['HS256', 'RS256']), typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      sub: String(r.int(1000, 999999)),
      iat: 1700000000 + r.int(0, 9999999),
      role: r.pick(['user', 'admin']),
    }),
  );
  return `${header}.${payload}.${r.chars(43, ALNUM + '-_')}`;
}

function apiToken(r: Rng): string {
  switch (r.int(0, 6)) {
    case 0:
      return `ghp_${r.chars(36, ALNUM)}`;
    case 1:
      return `sk_live_${r.chars(24, ALNUM)}`;
    case 2:
      return `xoxb-${r.digits(12)}-${r.digits(13)}-${r.chars(24, ALNUM)}`;
    case 3:
      return `AIza${r.chars(35, ALNUM + '-_')}`;
    case 4:
      return `glpat-${r.chars(20, ALNUM)}`;
    case 5:
      return `npm_${r.chars(36, ALNUM)}`;
    default:
      return `SG.${r.chars(22, ALNUM)}.${r.chars(43, ALNUM)}`;
  }
}

function passwordHash(r: Rng, style: number): string {
  const b64 = ALNUM + './';
  if (style === 0) return `$2b$${r.pick(['10', '12'])}$${r.chars(53, b64)}`;
  if (style === 1)
    return `$argon2id$v=19$m=65536,t=3,p=4$${r.chars(22, ALNUM)}$${r.chars(43, ALNUM)}`;
  if (style === 2) return `pbkdf2_sha256$600000$${r.chars(22, ALNUM)}$${r.chars(43, ALNUM)}=`;
  if (style === 3) return `$6$${r.chars(16, b64)}$${r.chars(86, b64)}`;
  return r.chars(64, HEX);
}

function plainPassword(r: Rng): string {
  const words = [
    'summer',
    'Winter',
    'dragon',
    'monkey',
    'sunshine',
    'qwerty',
    'letmein',
    'Password',
    'football',
    'shadow',
    'master',
    'hello',
  ];
  const k = r.int(0, 3);
  if (k === 0) return `${r.pick(words)}${r.int(1, 2025)}${r.pick(['', '!', '#', '$'])}`;
  if (k === 1) return r.chars(r.int(8, 16), ALNUM + '!@#$%^&*');
  if (k === 2) return `${r.pick(words)}_${r.pick(words)}`;
  return r.digits(r.int(4, 6));
}

function privateKey(r: Rng): string {
  const kind = r.pick(['RSA ', 'EC ', 'OPENSSH ', '']);
  const lines = Array.from({ length: 4 }, () => r.chars(64, ALNUM + '+/'));
  return `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`;
}

function driverLicense(r: Rng): string {
  switch (r.int(0, 4)) {
    case 0:
      return `${r.pick(UPPER.split(''))}${r.digits(7)}`; // CA
    case 1:
      return `${r.pick(UPPER.split(''))}${r.digits(3)}-${r.digits(3)}-${r.digits(2)}-${r.digits(3)}-${r.digits(1)}`; // FL
    case 2:
      return r.digits(9); // NY
    case 3:
      return `${r.pick(UPPER.split(''))}${r.digits(12)}`; // WI/MN-like
    default:
      return `${r.digits(3)} ${r.digits(3)} ${r.digits(3)}`;
  }
}

function nationalId(r: Rng): string {
  switch (r.int(0, 3)) {
    case 0:
      return cpf(r);
    case 1:
      return `${r.int(50, 99)}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}-${r.digits(4)}`; // SE personnummer
    case 2:
      return r.chars(2, UPPER) + r.digits(7); // passport/ID card style
    default:
      return `${r.digits(3)}.${r.digits(4)}.${r.digits(4)}.${r.digits(2)}`; // Swiss AHV-like
  }
}

function icdCode(r: Rng): string {
  return r.pick(P.ICD10_POOL);
}

function salary(r: Rng, style: number): unknown {
  if (style === 0) return r.int(28, 250) * 1000;
  if (style === 1) return `$${(r.int(28, 250) * 1000).toLocaleString('en-US')}.00`;
  if (style === 2) return (r.int(1500, 9000) + r.int(0, 99) / 100).toFixed(2);
  return (r.int(15, 95) + r.int(0, 99) / 100).toFixed(2); // hourly
}

function freeText(r: Rng): string {
  const n = r.int(6, 18);
  const words = Array.from({ length: n }, () => r.pick(P.SENTENCE_WORDS));
  return words.join(' ').replace(/^./, c => c.toUpperCase()) + r.pick(['.', '!', '', '?']);
}

function orderLikeSixteen(r: Rng): string {
  // 16 digits that look like a card but are order numbers (and mostly fail Luhn).
  return `${r.pick(['4', '5', '3', '6'])}${r.digits(15)}`;
}

function isbn13(r: Rng): string {
  const body = r.pick(['978', '979']) + r.digits(9);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + ((10 - (sum % 10)) % 10);
}

const uuid = (r: Rng): string =>
  `${r.chars(8, HEX)}-${r.chars(4, HEX)}-4${r.chars(3, HEX)}-${r.pick(['8', '9', 'a', 'b'])}${r.chars(3, HEX)}-${r.chars(12, HEX)}`;

const NB = {
  customer: [
    'customer_id',
    'first_name',
    'last_name',
    'email',
    'phone',
    'created_at',
    'status',
    'city',
    'country',
  ],
  employee: [
    'employee_id',
    'first_name',
    'last_name',
    'department',
    'hire_date',
    'job_title',
    'manager_id',
    'salary',
  ],
  patient: [
    'patient_id',
    'mrn',
    'first_name',
    'last_name',
    'dob',
    'gender',
    'admission_date',
    'diagnosis',
  ],
  payment: [
    'payment_id',
    'order_id',
    'amount',
    'currency',
    'card_number',
    'card_expiry',
    'cvv',
    'billing_zip',
    'created_at',
  ],
  order: [
    'order_id',
    'customer_id',
    'order_date',
    'status',
    'total_amount',
    'currency',
    'shipping_method',
    'sku',
  ],
  product: ['product_id', 'sku', 'product_name', 'price', 'category', 'stock_qty', 'created_at'],
  log: [
    'event_id',
    'user_id',
    'event_type',
    'ip_address',
    'user_agent',
    'created_at',
    'session_id',
  ],
  bank: [
    'account_id',
    'customer_id',
    'iban',
    'bic',
    'account_number',
    'routing_number',
    'balance',
    'opened_at',
  ],
  auth: [
    'user_id',
    'username',
    'email',
    'password_hash',
    'last_login_at',
    'mfa_enabled',
    'created_at',
  ],
  course: [
    'course_id',
    'course_code',
    'title',
    'credits',
    'term_code',
    'academic_year',
    'instructor_id',
  ],
  device: ['device_id', 'hostname', 'mac_address', 'ip_address', 'os_version', 'last_seen_at'],
  vehicle: ['vehicle_id', 'vin', 'make', 'model', 'model_year', 'license_plate', 'owner_id'],
  integration: ['integration_id', 'provider', 'api_key', 'webhook_url', 'created_by', 'enabled'],
};

/** Positive columns. */
export const POSITIVE_SPECS: Spec[] = [
  {
    kind: 'email',
    expected: ['PII.EMAIL_ADDRESS'],
    acceptable: ['PII.USERNAME'],
    names: [
      'email',
      'email_address',
      'customerEmail',
      'EMAIL_ADDR',
      'contact_email',
      'work_email',
      'user_email',
      'e_mail',
      'billing_email',
      'notify_to',
      'value',
      'col_12',
    ],
    tables: ['customers', 'users', 'contacts', 'leads', 'subscribers'],
    neighbours: NB.customer,
    value: email,
    dirt: 0.03,
  },
  {
    kind: 'phone',
    expected: ['PII.PHONE_NUMBER'],
    names: [
      'phone',
      'phone_number',
      'mobile',
      'PhoneNumber',
      'cell_phone',
      'home_phone',
      'contact_number',
      'tel',
      'fax',
      'work_phone',
      'mobile_no',
      'telephone',
    ],
    tables: ['customers', 'contacts', 'employees', 'suppliers'],
    neighbours: NB.customer,
    value: r => phone(r),
    dirt: 0.03,
  },
  {
    kind: 'phone-us-plain',
    expected: ['PII.PHONE_NUMBER'],
    names: ['phone', 'phone_no', 'cell', 'mobile_phone', 'PHONE1', 'contact_phone'],
    tables: ['customers', 'members', 'patients'],
    neighbours: NB.customer,
    value: r => `${r.int(201, 989)}${r.int(200, 999)}${pad(r.int(0, 9999), 4)}`,
    count: 2,
  },
  {
    kind: 'phone-formatted-unnamed',
    expected: ['PII.PHONE_NUMBER'],
    names: ['contact', 'reach_at', 'primary_contact', 'alt_contact'],
    tables: ['customers', 'vendors'],
    neighbours: NB.customer,
    value: r => phone(r, r.pick([0, 1, 3, 5, 7])),
    count: 2,
  },
  {
    kind: 'full-name',
    expected: ['PII.PERSON_NAME'],
    names: [
      'full_name',
      'customer_name',
      'name',
      'patient_name',
      'FullName',
      'contact_name',
      'employee_name',
      'cardholder_name',
      'display_name',
      'account_holder',
      'owner',
      'beneficiary_name',
    ],
    tables: ['customers', 'patients', 'employees', 'contacts', 'members'],
    neighbours: NB.customer,
    value: r => personName(r, r.int(0, 4)),
  },
  {
    kind: 'first-name',
    expected: ['PII.PERSON_NAME'],
    names: ['first_name', 'firstName', 'FNAME', 'given_name', 'first', 'forename'],
    tables: ['customers', 'users', 'employees', 'patients'],
    neighbours: NB.customer,
    value: given,
    count: 3,
  },
  {
    kind: 'last-name',
    expected: ['PII.PERSON_NAME'],
    names: ['last_name', 'lastName', 'surname', 'LNAME', 'family_name', 'last'],
    tables: ['customers', 'users', 'employees', 'patients'],
    neighbours: NB.customer,
    value: family,
    count: 3,
  },
  {
    kind: 'street',
    expected: ['PII.STREET_ADDRESS'],
    names: [
      'address',
      'street_address',
      'address_line1',
      'addr1',
      'billing_address',
      'shipping_address',
      'StreetAddress',
      'home_address',
      'mailing_address',
      'addr_line_1',
      'street',
      'address1',
    ],
    tables: ['customers', 'addresses', 'shipments', 'employees'],
    neighbours: NB.customer,
    value: street,
    dirt: 0.02,
  },
  {
    kind: 'city',
    expected: ['PII.CITY'],
    names: [
      'city',
      'billing_city',
      'City',
      'town',
      'ship_city',
      'home_city',
      'CITY_NAME',
      'municipality',
      'customer_city',
      'locality',
    ],
    tables: ['customers', 'addresses', 'employees', 'stores'],
    neighbours: NB.customer,
    value: r => r.pick(P.CITIES_POOL),
  },
  {
    kind: 'state',
    expected: ['PII.STATE_PROVINCE'],
    names: [
      'state',
      'state_code',
      'province',
      'billing_state',
      'STATE_PROV',
      'ship_state',
      'home_state',
      'region_code',
    ],
    tables: ['customers', 'addresses', 'employees'],
    neighbours: NB.customer,
    value: r => r.pick(P.US_STATES)[0],
    count: 3,
  },
  {
    kind: 'state-name',
    expected: ['PII.STATE_PROVINCE'],
    names: [
      'state',
      'state_name',
      'province_name',
      'us_state',
      'state_province',
      'residence_state',
    ],
    tables: ['customers', 'addresses', 'voters'],
    neighbours: NB.customer,
    value: r => r.pick(P.US_STATES)[1],
    count: 2,
  },
  {
    kind: 'postal',
    expected: ['PII.POSTAL_CODE'],
    names: [
      'zip',
      'zip_code',
      'postal_code',
      'postcode',
      'ZipCode',
      'billing_zip',
      'POSTAL_CD',
      'ship_postal_code',
      'zip5',
      'post_code',
    ],
    tables: ['customers', 'addresses', 'stores', 'payments'],
    neighbours: NB.customer,
    value: postal,
  },
  {
    kind: 'us-zip-numbers',
    expected: ['PII.POSTAL_CODE'],
    names: ['zip', 'zipcode', 'billing_zip', 'zip_cd'],
    tables: ['customers', 'orders'],
    neighbours: NB.customer,
    value: r => r.int(10001, 99950),
    count: 2,
  },
  {
    kind: 'country',
    expected: ['PII.COUNTRY'],
    names: [
      'country',
      'country_code',
      'nationality',
      'billing_country',
      'CountryName',
      'country_of_residence',
      'citizenship',
      'cntry_cd',
    ],
    tables: ['customers', 'users', 'employees', 'travellers'],
    neighbours: NB.customer,
    value: r => {
      const c = r.pick(P.COUNTRIES_POOL);
      return c[r.int(0, 2)];
    },
  },
  {
    kind: 'dob',
    expected: ['PII.DATE_OF_BIRTH'],
    names: [
      'dob',
      'date_of_birth',
      'birth_date',
      'DOB',
      'birthdate',
      'birthday',
      'patient_dob',
      'BirthDt',
      'member_dob',
      'dateOfBirth',
    ],
    tables: ['patients', 'customers', 'employees', 'members'],
    neighbours: NB.patient,
    value: r => date(r, 1935, 2006, r.int(0, 5)),
  },
  {
    kind: 'gender',
    expected: ['PII.GENDER'],
    names: ['gender', 'sex', 'gender_code', 'Gender', 'SEX_CD', 'patient_sex'],
    tables: ['patients', 'customers', 'employees', 'members'],
    neighbours: NB.patient,
    size: [10, 40],
    value: r => r.pick(['M', 'F']),
    perColumn: r => {
      const set = r.pick([
        ['M', 'F'],
        ['Male', 'Female', 'Non-binary'],
        ['F', 'M', 'U'],
        ['female', 'male', 'other'],
        ['M', 'F', 'X'],
      ]);
      return r2 => r2.pick(set);
    },
  },
  {
    kind: 'gender-words-unnamed',
    expected: ['PII.GENDER'],
    names: ['g', 'attr_2', 'field7', 'segment_code'],
    tables: ['survey_responses', 'members'],
    neighbours: NB.patient,
    size: [15, 40],
    count: 1,
    value: r => r.pick(['Male', 'Female', 'Female', 'Male', 'Non-binary', 'Prefer not to say']),
  },
  {
    kind: 'age',
    expected: ['PII.AGE'],
    names: ['age', 'patient_age', 'age_years', 'customer_age', 'AGE', 'age_at_admission'],
    tables: ['patients', 'customers', 'survey_responses'],
    neighbours: NB.patient,
    value: r => r.int(1, 97),
    count: 3,
  },
  {
    kind: 'username',
    expected: ['PII.USERNAME'],
    names: [
      'username',
      'user_name',
      'login',
      'login_name',
      'screen_name',
      'handle',
      'UserName',
      'nickname',
    ],
    tables: ['users', 'accounts', 'forum_members'],
    neighbours: NB.auth,
    value: r => {
      const f = ascii(given(r)).toLowerCase();
      const l = ascii(family(r)).toLowerCase();
      return r.pick([
        `${f[0]}${l}`,
        `${f}.${l}`,
        `${f}${r.int(1, 999)}`,
        `${l}_${f[0]}`,
        `${f}_${r.chars(3, LOWER)}`,
      ]);
    },
  },
  {
    kind: 'ip',
    expected: ['PII.IP_ADDRESS'],
    names: [
      'ip_address',
      'client_ip',
      'ip',
      'remote_addr',
      'source_ip',
      'IPAddress',
      'last_login_ip',
      'host_ip',
      'x_forwarded_for',
      'src',
    ],
    tables: ['access_logs', 'sessions', 'login_events', 'devices'],
    neighbours: NB.log,
    value: r => (r.chance(0.8) ? ipv4(r) : ipv6(r)),
  },
  {
    kind: 'mac',
    expected: ['PII.MAC_ADDRESS'],
    names: ['mac_address', 'mac', 'MacAddr', 'wifi_mac', 'hw_addr', 'bssid'],
    tables: ['devices', 'network_clients', 'assets'],
    neighbours: NB.device,
    value: r => mac(r, r.int(0, 2)),
    count: 3,
  },
  {
    kind: 'latlon-pair',
    expected: ['PII.GEO_COORDINATES'],
    names: ['location', 'coordinates', 'geo', 'last_known_position', 'gps', 'latlng'],
    tables: ['deliveries', 'check_ins', 'devices'],
    neighbours: ['delivery_id', 'courier_id', 'delivered_at', 'status'],
    value: r => `${coord(r, 80, 6)},${coord(r, 170, 6)}`,
    count: 3,
  },
  {
    kind: 'latitude',
    expected: ['PII.GEO_COORDINATES'],
    names: ['latitude', 'lat', 'home_lat', 'Latitude', 'gps_lat', 'pickup_latitude'],
    tables: ['users', 'rides', 'check_ins'],
    neighbours: ['user_id', 'longitude', 'recorded_at'],
    value: r => Number(coord(r, 70, r.int(4, 7))),
    count: 3,
  },
  {
    kind: 'longitude',
    expected: ['PII.GEO_COORDINATES'],
    names: ['longitude', 'lng', 'lon', 'home_lng', 'gps_long', 'dropoff_longitude'],
    tables: ['users', 'rides', 'check_ins'],
    neighbours: ['user_id', 'latitude', 'recorded_at'],
    value: r => Number(coord(r, 170, r.int(4, 7))),
    count: 2,
  },
  {
    kind: 'vin',
    expected: ['PII.VEHICLE_ID'],
    names: [
      'vin',
      'vin_number',
      'vehicle_vin',
      'VIN',
      'chassis_no',
      'vehicle_identification_number',
    ],
    tables: ['vehicles', 'policies', 'rentals'],
    neighbours: NB.vehicle,
    value: vin,
    count: 3,
  },
  {
    kind: 'ssn',
    expected: ['GOV.US_SSN'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: [
      'ssn',
      'social_security_number',
      'SSN',
      'emp_ssn',
      'soc_sec_no',
      'ssn_number',
      'SocialSecurityNo',
      'tax_id',
    ],
    tables: ['employees', 'payroll', 'applicants', 'patients'],
    neighbours: NB.employee,
    value: ssn,
  },
  {
    kind: 'ssn-plain',
    expected: ['GOV.US_SSN'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: ['ssn', 'ssn_no', 'social_security', 'member_ssn'],
    tables: ['employees', 'members'],
    neighbours: NB.employee,
    value: r => ssn(r).replace(/-/g, ''),
    count: 2,
  },
  {
    kind: 'itin',
    expected: ['GOV.US_ITIN'],
    acceptable: ['GOV.NATIONAL_ID', 'GOV.US_SSN'],
    names: ['itin', 'taxpayer_id', 'itin_number', 'tin', 'tax_id', 'filer_itin'],
    tables: ['tax_filers', 'contractors', 'payees'],
    neighbours: NB.employee,
    value: itin,
    count: 3,
  },
  {
    kind: 'us-passport',
    expected: ['GOV.US_PASSPORT'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: [
      'passport_number',
      'passport_no',
      'passport',
      'PassportNum',
      'us_passport',
      'passport_id',
    ],
    tables: ['travellers', 'bookings', 'employees'],
    neighbours: ['traveller_id', 'first_name', 'last_name', 'nationality', 'passport_expiry'],
    value: r => (r.chance(0.7) ? r.digits(9) : `${r.pick(UPPER.split(''))}${r.digits(8)}`),
    count: 3,
  },
  {
    kind: 'driver-license',
    expected: ['GOV.US_DRIVER_LICENSE'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: [
      'drivers_license',
      'driver_license_number',
      'dl_number',
      'license_number',
      'DL_NO',
      'driving_licence_no',
    ],
    tables: ['drivers', 'customers', 'rental_agreements', 'policyholders'],
    neighbours: ['driver_id', 'first_name', 'last_name', 'dl_state', 'dl_expiry'],
    value: driverLicense,
    count: 3,
  },
  {
    kind: 'nino',
    expected: ['GOV.UK_NINO'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: [
      'ni_number',
      'nino',
      'national_insurance_no',
      'NI_NUM',
      'employee_nino',
      'nat_ins_number',
    ],
    tables: ['employees', 'payroll_uk', 'claimants'],
    neighbours: NB.employee,
    value: r => {
      const n = nino(r);
      return r.chance(0.4)
        ? `${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6, 8)} ${n.slice(8)}`
        : n;
    },
    count: 3,
  },
  {
    kind: 'nhs',
    expected: ['GOV.UK_NHS_NUMBER'],
    acceptable: ['PHI.MEDICAL_RECORD_NUMBER'],
    names: ['nhs_number', 'nhs_no', 'NHSNumber', 'patient_nhs_no', 'nhs_id', 'nhsno'],
    tables: ['patients', 'referrals', 'gp_registrations'],
    neighbours: NB.patient,
    value: r => {
      const n = nhsNumber(r);
      return r.chance(0.5) ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : n;
    },
    count: 3,
  },
  {
    kind: 'nhs-unnamed',
    expected: ['GOV.UK_NHS_NUMBER'],
    names: ['patient_ref', 'identifier', 'ext_id', 'nhs_ref'],
    tables: ['patients', 'referrals'],
    neighbours: NB.patient,
    value: r => {
      const n = nhsNumber(r);
      return `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
    },
    count: 1,
  },
  {
    kind: 'ca-sin',
    expected: ['GOV.CA_SIN'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: ['sin', 'social_insurance_number', 'sin_number', 'SIN_NO', 'employee_sin', 'nas'],
    tables: ['employees_ca', 'payroll', 'applicants'],
    neighbours: NB.employee,
    value: r => {
      const n = caSin(r);
      return r.chance(0.6) ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : n;
    },
    count: 3,
  },
  {
    kind: 'fr-insee',
    expected: ['GOV.FR_INSEE'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: ['numero_securite_sociale', 'nir', 'num_secu', 'insee', 'no_secu', 'securite_sociale'],
    tables: ['salaries', 'patients', 'assures'],
    neighbours: ['nom', 'prenom', 'date_naissance', 'adresse'],
    value: r => {
      const n = insee(r);
      return r.chance(0.4)
        ? `${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 10)} ${n.slice(10, 13)} ${n.slice(13)}`
        : n;
    },
    count: 3,
  },
  {
    kind: 'de-tax',
    expected: ['GOV.DE_TAX_ID'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: [
      'steuer_id',
      'steuerid',
      'idnr',
      'steuerliche_identifikationsnummer',
      'tax_id',
      'steuer_idnr',
    ],
    tables: ['mitarbeiter', 'employees_de', 'lohnabrechnung'],
    neighbours: ['vorname', 'nachname', 'geburtsdatum', 'steuerklasse'],
    value: deTaxId,
    count: 3,
  },
  {
    kind: 'es-nif',
    expected: ['GOV.ES_NIF'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: ['nif', 'dni', 'nie', 'documento_identidad', 'dni_nie', 'num_dni'],
    tables: ['clientes', 'empleados', 'socios'],
    neighbours: ['nombre', 'apellidos', 'telefono', 'direccion'],
    value: esDni,
    count: 3,
  },
  {
    kind: 'it-cf',
    expected: ['GOV.IT_FISCAL_CODE'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: ['codice_fiscale', 'cf', 'cod_fiscale', 'fiscal_code', 'codicefiscale', 'tax_code'],
    tables: ['clienti', 'dipendenti', 'pazienti'],
    neighbours: ['nome', 'cognome', 'data_nascita', 'indirizzo'],
    value: itFiscalCode,
    count: 3,
  },
  {
    kind: 'aadhaar',
    expected: ['GOV.IN_AADHAAR'],
    acceptable: ['GOV.NATIONAL_ID'],
    names: ['aadhaar', 'aadhaar_number', 'aadhar_no', 'uid_number', 'aadhaar_no', 'uidai'],
    tables: ['customers_in', 'kyc_records', 'beneficiaries'],
    neighbours: ['customer_id', 'pan_number', 'name', 'mobile'],
    value: r => {
      const n = aadhaar(r);
      return r.chance(0.5) ? `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}` : n;
    },
    count: 3,
  },
  {
    kind: 'national-id',
    expected: ['GOV.NATIONAL_ID'],
    names: [
      'national_id',
      'national_id_number',
      'id_card_number',
      'citizen_id',
      'personnummer',
      'identity_number',
      'cpf',
      'personal_id',
    ],
    tables: ['citizens', 'kyc_records', 'customers', 'voters'],
    neighbours: ['first_name', 'last_name', 'dob', 'nationality'],
    value: nationalId,
  },
  {
    kind: 'credit-card',
    expected: ['FIN.CREDIT_CARD_NUMBER'],
    names: [
      'card_number',
      'cc_number',
      'credit_card',
      'pan',
      'CardNo',
      'ccnum',
      'card_num',
      'payment_card_number',
      'value',
      'data',
    ],
    tables: ['payments', 'cards', 'transactions', 'billing'],
    neighbours: NB.payment,
    value: r => formatCard(cardNumber(r), r.int(0, 2)),
  },
  {
    kind: 'card-expiry',
    expected: ['FIN.CARD_EXPIRY'],
    names: ['card_expiry', 'exp_date', 'expiry', 'cc_exp', 'expiration', 'card_exp_date'],
    tables: ['payments', 'cards', 'payment_methods'],
    neighbours: NB.payment,
    value: r =>
      r.chance(0.7)
        ? `${pad(r.int(1, 12), 2)}/${r.int(25, 32)}`
        : `${pad(r.int(1, 12), 2)}/20${r.int(25, 32)}`,
    count: 3,
  },
  {
    kind: 'cvv',
    expected: ['FIN.CARD_CVV'],
    names: ['cvv', 'cvc', 'cvv2', 'card_security_code', 'CVV_CODE', 'cvc2'],
    tables: ['payments', 'cards', 'payment_methods'],
    neighbours: NB.payment,
    value: r => r.digits(r.chance(0.9) ? 3 : 4),
    count: 3,
  },
  {
    kind: 'cvv-contextual',
    expected: ['FIN.CARD_CVV'],
    names: ['security_code', 'card_code', 'sec_code', 'verification_code'],
    tables: ['payments', 'cards'],
    neighbours: NB.payment,
    value: r => r.digits(3),
    count: 1,
  },
  {
    kind: 'iban',
    expected: ['FIN.IBAN'],
    names: ['iban', 'IBAN', 'account_iban', 'beneficiary_iban', 'bank_account', 'payout_account'],
    tables: ['bank_accounts', 'payouts', 'suppliers', 'employees'],
    neighbours: NB.bank,
    value: r => {
      const i = iban(r);
      return r.chance(0.4) ? i.replace(/(.{4})(?=.)/g, '$1 ') : i;
    },
  },
  {
    kind: 'swift',
    expected: ['FIN.SWIFT_BIC'],
    names: ['bic', 'swift_code', 'swift', 'bic_code', 'SWIFT_BIC', 'bank_bic'],
    tables: ['bank_accounts', 'payouts', 'suppliers'],
    neighbours: NB.bank,
    value: r =>
      `${r.pick(P.BANK_CODES)}${r.pick(P.BIC_COUNTRIES)}${r.chars(2, UPPER + '23456789')}${r.chance(0.4) ? r.pick(['XXX', r.chars(3, UPPER + DIGITS)]) : ''}`,
    count: 3,
  },
  {
    kind: 'bank-account',
    expected: ['FIN.US_BANK_ACCOUNT'],
    names: [
      'account_number',
      'bank_account_number',
      'acct_no',
      'checking_account',
      'BankAcctNum',
      'dda_account',
    ],
    tables: ['bank_accounts', 'direct_deposits', 'ach_transfers', 'vendors'],
    neighbours: NB.bank,
    value: r => r.digits(r.int(8, 12)),
    count: 3,
  },
  {
    kind: 'routing',
    expected: ['FIN.US_ROUTING_NUMBER'],
    names: ['routing_number', 'aba', 'routing_no', 'aba_routing', 'RoutingNum', 'bank_routing'],
    tables: ['bank_accounts', 'direct_deposits', 'ach_transfers'],
    neighbours: NB.bank,
    value: abaRouting,
    count: 3,
  },
  {
    kind: 'routing-unnamed',
    expected: ['FIN.US_ROUTING_NUMBER'],
    names: ['bank_code', 'transit', 'rt', 'bank_id_no'],
    tables: ['ach_transfers', 'vendors'],
    neighbours: NB.bank,
    value: abaRouting,
    count: 1,
  },
  {
    kind: 'crypto',
    expected: ['FIN.CRYPTO_WALLET'],
    names: [
      'wallet_address',
      'btc_address',
      'deposit_address',
      'wallet',
      'payout_address',
      'address',
    ],
    tables: ['wallets', 'crypto_deposits', 'withdrawals'],
    neighbours: ['user_id', 'currency', 'amount', 'tx_hash', 'created_at'],
    value: r => {
      const k = r.int(0, 2);
      if (k === 0) return btcBase58(r);
      if (k === 1) return btcBech32(r);
      return `0x${r.chars(40, HEX + 'ABCDEF')}`;
    },
    count: 3,
  },
  {
    kind: 'salary',
    expected: ['FIN.SALARY'],
    names: [
      'salary',
      'annual_salary',
      'base_pay',
      'wage',
      'compensation',
      'hourly_rate',
      'gross_pay',
      'SalaryAmt',
    ],
    tables: ['employees', 'payroll', 'offers', 'compensation_history'],
    neighbours: NB.employee,
    value: r => salary(r, r.int(0, 3)),
  },
  {
    kind: 'mrn',
    expected: ['PHI.MEDICAL_RECORD_NUMBER'],
    names: ['mrn', 'medical_record_number', 'patient_mrn', 'MRN', 'chart_number', 'med_rec_no'],
    tables: ['patients', 'encounters', 'lab_results', 'admissions'],
    neighbours: NB.patient,
    value: r => (r.chance(0.5) ? `MRN${r.digits(7)}` : r.digits(r.int(7, 9))),
    count: 3,
  },
  {
    kind: 'icd10',
    expected: ['PHI.ICD10_CODE'],
    names: ['icd10_code', 'diagnosis_code', 'dx_code', 'icd_code', 'primary_dx', 'ICD10'],
    tables: ['encounters', 'claims', 'diagnoses', 'admissions'],
    neighbours: NB.patient,
    value: icdCode,
    count: 3,
  },
  {
    kind: 'icd10-unnamed',
    expected: ['PHI.ICD10_CODE'],
    names: ['code', 'code_value', 'cd', 'val'],
    tables: ['diagnoses', 'claim_lines'],
    neighbours: NB.patient,
    value: r => r.pick(P.ICD10_POOL.filter(c => c.includes('.'))),
    count: 1,
  },
  {
    kind: 'npi',
    expected: ['PHI.US_NPI'],
    names: ['npi', 'provider_npi', 'npi_number', 'prescriber_npi', 'NPI', 'billing_npi'],
    tables: ['providers', 'claims', 'prescriptions'],
    neighbours: ['provider_id', 'provider_name', 'specialty', 'taxonomy_code'],
    value: npi,
    count: 3,
  },
  {
    kind: 'condition',
    expected: ['PHI.HEALTH_CONDITION'],
    names: [
      'diagnosis',
      'medical_condition',
      'condition',
      'allergies',
      'chronic_conditions',
      'diagnosis_description',
      'problem',
      'health_condition',
    ],
    tables: ['patients', 'encounters', 'medical_history', 'claims'],
    neighbours: NB.patient,
    value: r => r.pick(P.CONDITIONS_POOL),
  },
  {
    kind: 'password-hash',
    expected: ['SECRET.PASSWORD_HASH'],
    names: [
      'password_hash',
      'password',
      'hashed_password',
      'pwd_hash',
      'encrypted_password',
      'password_digest',
    ],
    tables: ['users', 'accounts', 'admins'],
    neighbours: NB.auth,
    value: r => passwordHash(r, 0),
    perColumn: r => {
      const style = r.int(0, 4);
      return r2 => passwordHash(r2, style);
    },
    count: 3,
  },
  {
    kind: 'password',
    expected: ['SECRET.PASSWORD'],
    names: ['password', 'pwd', 'passwd', 'user_password', 'plain_password', 'passcode'],
    tables: ['users', 'legacy_accounts', 'wifi_networks', 'service_accounts'],
    neighbours: NB.auth,
    value: plainPassword,
    count: 3,
  },
  {
    kind: 'aws-key',
    expected: ['SECRET.AWS_ACCESS_KEY'],
    names: ['aws_access_key_id', 'access_key', 'aws_key', 'key_id', 'AccessKeyId', 'credential'],
    tables: ['integrations', 'cloud_accounts', 'ci_secrets'],
    neighbours: NB.integration,
    value: r => `${r.pick(['AKIA', 'ASIA'])}${r.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    count: 3,
  },
  {
    kind: 'private-key',
    expected: ['SECRET.PRIVATE_KEY'],
    names: ['private_key', 'ssh_key', 'pem', 'signing_key', 'key_material', 'tls_key'],
    tables: ['servers', 'certificates', 'deploy_keys'],
    neighbours: ['server_id', 'hostname', 'fingerprint', 'created_at'],
    value: privateKey,
    count: 3,
    size: [3, 8],
  },
  {
    kind: 'api-token',
    expected: ['SECRET.API_TOKEN'],
    names: [
      'api_key',
      'token',
      'access_token',
      'secret',
      'apikey',
      'auth_token',
      'client_secret',
      'credential_value',
    ],
    tables: ['integrations', 'webhooks', 'connectors'],
    neighbours: NB.integration,
    value: apiToken,
  },
  {
    kind: 'api-token-generic',
    expected: ['SECRET.API_TOKEN'],
    names: ['api_key', 'client_secret', 'api_secret', 'secret_key'],
    tables: ['integrations', 'partners'],
    neighbours: NB.integration,
    value: r => r.chars(32, ALNUM),
    count: 2,
  },
  {
    kind: 'jwt',
    expected: ['SECRET.JWT'],
    names: ['jwt', 'id_token', 'access_token', 'session_token', 'bearer', 'token'],
    tables: ['sessions', 'oauth_tokens', 'api_requests'],
    neighbours: NB.log,
    value: jwt,
    count: 3,
  },
];

/** Negative columns: nothing sensitive, but shapes and names that invite false positives. */
export const NEGATIVE_SPECS: Spec[] = [
  {
    kind: 'order-id',
    expected: [],
    names: ['order_id', 'id', 'orderId', 'order_no', 'invoice_id', 'number'],
    tables: ['orders', 'invoices'],
    neighbours: NB.order,
    value: r => r.int(100000, 9999999),
  },
  {
    kind: 'order-number',
    expected: [],
    names: ['order_number', 'ref', 'reference', 'invoice_number', 'po_number', 'code'],
    tables: ['orders', 'invoices', 'purchase_orders'],
    neighbours: NB.order,
    value: r => `${r.pick(['ORD', 'INV', 'PO'])}-${r.int(2019, 2025)}-${pad(r.int(1, 999999), 6)}`,
  },
  {
    kind: 'sku',
    expected: [],
    names: ['sku', 'product_code', 'item_code', 'code', 'part_number', 'article_no'],
    tables: ['products', 'inventory', 'order_lines'],
    neighbours: NB.product,
    value: r =>
      `${r.chars(3, UPPER)}-${r.digits(5)}-${r.pick(['BLK', 'WHT', 'RED', 'S', 'M', 'L', 'XL'])}`,
  },
  {
    kind: 'timestamp',
    expected: [],
    names: ['created_at', 'updated_at', 'event_time', 'ts', 'last_modified', 'value'],
    tables: ['orders', 'events', 'audit_log'],
    neighbours: NB.log,
    value: r => timestamp(r, 0),
    perColumn: r => {
      const s = r.int(0, 4);
      return r2 => timestamp(r2, s);
    },
  },
  {
    kind: 'date',
    expected: [],
    names: ['order_date', 'ship_date', 'hire_date', 'start_date', 'due_date', 'date'],
    tables: ['orders', 'employees', 'projects'],
    neighbours: NB.order,
    value: r => date(r, 2015, 2025, r.int(0, 2)),
  },
  {
    kind: 'status',
    expected: [],
    names: ['status', 'state', 'order_status', 'stage', 'workflow_state', 'code'],
    tables: ['orders', 'tickets', 'shipments'],
    neighbours: NB.order,
    value: r => r.pick(P.STATUSES),
    size: [15, 40],
  },
  {
    kind: 'amount',
    expected: [],
    names: ['amount', 'total', 'price', 'unit_price', 'balance', 'value'],
    tables: ['orders', 'payments', 'products', 'ledger'],
    neighbours: NB.order,
    value: r => (r.int(100, 999999) / 100).toFixed(2),
  },
  {
    kind: 'free-text',
    expected: [],
    names: ['comment', 'notes', 'description', 'feedback', 'remarks', 'body'],
    tables: ['tickets', 'reviews', 'orders'],
    neighbours: NB.order,
    value: freeText,
  },
  {
    kind: 'uuid',
    expected: [],
    names: ['id', 'uuid', 'session_id', 'request_id', 'correlation_id', 'ref'],
    tables: ['sessions', 'requests', 'events'],
    neighbours: NB.log,
    value: uuid,
  },
  {
    kind: 'product-name',
    expected: [],
    names: ['product_name', 'name', 'title', 'item_name', 'label', 'product'],
    tables: ['products', 'catalog', 'order_lines'],
    neighbours: NB.product,
    value: r => `${r.pick(P.PRODUCT_WORDS)} ${r.pick(P.PRODUCT_NOUNS)}`,
  },
  {
    kind: 'company',
    expected: [],
    names: ['company_name', 'employer', 'vendor_name', 'supplier', 'organization', 'name'],
    tables: ['vendors', 'accounts', 'suppliers'],
    neighbours: ['vendor_id', 'country', 'industry', 'created_at'],
    value: r => r.pick(P.COMPANIES),
  },
  {
    kind: 'quantity',
    expected: [],
    names: ['quantity', 'qty', 'stock', 'count', 'units', 'number'],
    tables: ['order_lines', 'inventory'],
    neighbours: NB.product,
    value: r => r.int(0, 500),
  },
  {
    kind: 'rating',
    expected: [],
    names: ['rating', 'score', 'stars', 'priority', 'level', 'value'],
    tables: ['reviews', 'tickets'],
    neighbours: NB.order,
    value: r => r.int(1, 5),
    size: [20, 50],
  },
  {
    kind: 'version',
    expected: [],
    names: ['version', 'app_version', 'os_version', 'build', 'release', 'firmware'],
    tables: ['devices', 'releases', 'installs'],
    neighbours: NB.device,
    value: r =>
      `${r.int(0, 9)}.${r.int(0, 20)}.${r.int(0, 40)}${r.chance(0.3) ? `.${r.int(0, 999)}` : ''}`,
  },
  {
    kind: 'isbn',
    expected: [],
    names: ['isbn', 'isbn13', 'ean', 'barcode', 'code', 'book_id'],
    tables: ['books', 'products'],
    neighbours: ['title', 'author', 'publisher', 'price'],
    value: isbn13,
  },
  {
    kind: 'sixteen-digit-orders',
    expected: [],
    names: [
      'order_number',
      'number',
      'tracking_number',
      'ref',
      'confirmation_no',
      'transaction_ref',
    ],
    tables: ['orders', 'shipments', 'bookings'],
    neighbours: NB.order,
    value: orderLikeSixteen,
  },
  {
    kind: 'academic-year',
    expected: [],
    names: ['acad_year', 'academic_year_code', 'term_code', 'code', 'year_code', 'session_code'],
    tables: ['enrollments', 'courses', 'students'],
    neighbours: NB.course,
    value: r => {
      const y = r.int(15, 30);
      return `${y}${y + 1}`;
    },
    size: [8, 30],
  },
  {
    kind: 'course-code',
    expected: [],
    names: ['course_code', 'code', 'module', 'class_code', 'subject', 'course'],
    tables: ['courses', 'enrollments'],
    neighbours: NB.course,
    value: r => `${r.pick(['CS', 'MATH', 'BIO', 'ECON', 'HIST'])}${r.int(100, 499)}`,
  },
  {
    kind: 'three-digit-codes',
    expected: [],
    names: ['code', 'branch_code', 'store_no', 'dept_code', 'area_code', 'region_no'],
    tables: ['stores', 'branches', 'products'],
    neighbours: NB.product,
    value: r => r.digits(3),
  },
  {
    kind: 'checksum',
    expected: [],
    names: ['checksum', 'file_md5', 'sha256', 'etag', 'content_hash', 'commit_sha'],
    tables: ['files', 'artifacts', 'commits'],
    neighbours: ['file_id', 'path', 'size_bytes', 'uploaded_at'],
    value: r => r.chars(r.pick([32, 40, 64]), HEX),
  },
  {
    kind: 'currency',
    expected: [],
    names: ['currency', 'currency_code', 'ccy', 'code', 'price_currency', 'iso_currency'],
    tables: ['orders', 'payments', 'fx_rates'],
    neighbours: NB.order,
    value: r => r.pick(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'INR']),
    size: [15, 40],
  },
  {
    kind: 'language',
    expected: [],
    names: ['language', 'locale', 'lang', 'preferred_language', 'ui_locale', 'code'],
    tables: ['users', 'content'],
    neighbours: NB.auth,
    value: r => r.pick(['en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES', 'pt-BR', 'ja-JP', 'it-IT']),
    size: [15, 40],
  },
  {
    kind: 'url',
    expected: [],
    names: ['url', 'website', 'homepage', 'image_url', 'callback_url', 'link'],
    tables: ['products', 'vendors', 'webhooks'],
    neighbours: NB.product,
    value: r =>
      `https://${r.pick(['www.', 'cdn.', ''])}${r.chars(r.int(5, 10), LOWER)}.${r.pick(P.TLDS)}/${r.chars(r.int(3, 12), LOWER + DIGITS)}`,
  },
  {
    kind: 'hostname',
    expected: [],
    names: ['hostname', 'host', 'server', 'node_name', 'machine', 'fqdn'],
    tables: ['servers', 'devices', 'deployments'],
    neighbours: NB.device,
    value: r =>
      `${r.pick(['web', 'db', 'api', 'cache', 'worker'])}-${r.int(1, 40)}.${r.pick(['prod', 'staging', 'dev'])}.internal`,
  },
  {
    kind: 'boolean',
    expected: [],
    names: ['is_active', 'enabled', 'verified', 'has_consent', 'flag', 'deleted'],
    tables: ['users', 'products', 'accounts'],
    neighbours: NB.auth,
    value: r => r.pick([true, false, 'Y', 'N', 1, 0]),
    size: [15, 40],
  },
  {
    kind: 'colour',
    expected: [],
    names: ['color', 'colour', 'variant', 'finish', 'shade', 'name'],
    tables: ['products', 'variants'],
    neighbours: NB.product,
    value: r => r.pick(P.COLOURS),
    size: [15, 40],
  },
  {
    kind: 'department',
    expected: [],
    names: ['department', 'dept', 'team', 'division', 'cost_center_name', 'unit'],
    tables: ['employees', 'cost_centers'],
    neighbours: NB.employee,
    value: r => r.pick(P.DEPARTMENTS),
    size: [15, 40],
  },
  {
    kind: 'job-title',
    expected: [],
    names: ['job_title', 'title', 'position', 'role', 'designation', 'occupation'],
    tables: ['employees', 'applicants'],
    neighbours: NB.employee,
    value: r => r.pick(P.JOB_TITLES),
  },
  {
    kind: 'percent',
    expected: [],
    names: ['discount_pct', 'tax_rate', 'conversion_rate', 'margin', 'pct', 'ratio'],
    tables: ['orders', 'products', 'campaigns'],
    neighbours: NB.order,
    value: r => (r.next() * 100).toFixed(r.int(1, 2)),
  },
  {
    kind: 'year',
    expected: [],
    names: ['year', 'model_year', 'fiscal_year', 'vintage', 'graduation_year', 'yr'],
    tables: ['vehicles', 'budgets', 'alumni'],
    neighbours: NB.vehicle,
    value: r => r.int(1995, 2025),
  },
  {
    kind: 'duration',
    expected: [],
    names: ['duration_ms', 'elapsed', 'latency', 'response_time', 'ttl', 'timeout_s'],
    tables: ['requests', 'jobs'],
    neighbours: NB.log,
    value: r => r.int(1, 99999),
  },
  {
    kind: 'http-status',
    expected: [],
    names: ['status_code', 'http_status', 'code', 'response_code', 'status', 'result'],
    tables: ['requests', 'webhook_deliveries'],
    neighbours: NB.log,
    value: r => r.pick([200, 201, 204, 301, 302, 400, 401, 403, 404, 409, 500, 502, 503]),
    size: [20, 50],
  },
  {
    kind: 'random-ten-digit',
    expected: [],
    names: [
      'tracking_number',
      'shipment_id',
      'parcel_no',
      'booking_ref',
      'transaction_id',
      'receipt_no',
    ],
    tables: ['shipments', 'bookings', 'receipts'],
    neighbours: NB.order,
    value: r => r.digits(10),
  },
  {
    kind: 'epoch',
    expected: [],
    names: ['created', 'ts', 'event_epoch', 'last_seen', 'timestamp', 'modified'],
    tables: ['events', 'devices'],
    neighbours: NB.log,
    value: r => 1500000000 + r.int(0, 300000000),
  },
  {
    kind: 'file-path',
    expected: [],
    names: ['path', 'file_path', 'filename', 'key', 's3_key', 'location'],
    tables: ['files', 'uploads'],
    neighbours: ['file_id', 'size_bytes', 'mime_type', 'uploaded_at'],
    value: r =>
      `/${r.pick(['var', 'data', 'uploads', 'tmp'])}/${r.chars(6, LOWER)}/${r.chars(8, LOWER + DIGITS)}.${r.pick(['pdf', 'png', 'csv', 'json'])}`,
  },
  {
    kind: 'hex-colour',
    expected: [],
    names: ['color_hex', 'background', 'theme_color', 'colour_code', 'code', 'hex'],
    tables: ['themes', 'products'],
    neighbours: NB.product,
    value: r => `#${r.chars(6, HEX)}`,
  },
  {
    kind: 'category',
    expected: [],
    names: ['category', 'segment', 'type', 'kind', 'class', 'group'],
    tables: ['products', 'customers', 'tickets'],
    neighbours: NB.product,
    value: r =>
      r.pick([
        'Electronics',
        'Home & Garden',
        'Toys',
        'Books',
        'Sports',
        'Beauty',
        'Automotive',
        'Grocery',
      ]),
    size: [15, 40],
  },
  {
    kind: 'emp-count',
    expected: [],
    names: ['employee_count', 'headcount', 'num_staff', 'size', 'seats', 'members'],
    tables: ['companies', 'teams', 'accounts'],
    neighbours: ['company_id', 'industry', 'country', 'founded_year'],
    value: r => r.int(1, 5000),
  },
  {
    kind: 'short-codes',
    expected: [],
    names: ['code', 'abbr', 'short_code', 'symbol', 'ticker', 'airport'],
    tables: ['airports', 'stocks', 'warehouses'],
    neighbours: ['name', 'country', 'created_at'],
    value: r => r.chars(3, UPPER),
  },
  {
    kind: 'sequential-ids',
    expected: [],
    names: ['id', 'row_id', 'customer_id', 'employee_id', 'account_id', 'member_id'],
    tables: ['customers', 'employees', 'accounts'],
    neighbours: NB.customer,
    value: r => r.int(10000, 90000000),
    perColumn: r => {
      let n = r.int(10000, 90000000);
      return () => n++;
    },
  },
  {
    kind: 'tokens-count',
    expected: [],
    names: [
      'token_count',
      'prompt_tokens',
      'total_tokens',
      'max_tokens',
      'completion_tokens',
      'tokens_used',
    ],
    tables: ['llm_requests', 'usage'],
    neighbours: ['request_id', 'model', 'latency_ms', 'created_at'],
    value: r => r.int(1, 8000),
  },
  {
    kind: 'password-meta',
    expected: [],
    names: [
      'password_changed_at',
      'password_reset_sent_at',
      'password_expires',
      'last_password_change',
      'password_updated_at',
      'pwd_reset_ts',
    ],
    tables: ['users', 'accounts'],
    neighbours: NB.auth,
    value: r => timestamp(r, 0),
  },
  {
    kind: 'email-flags',
    expected: [],
    names: [
      'email_verified',
      'email_opt_in',
      'is_email_confirmed',
      'email_bounced',
      'email_consent',
      'has_email',
    ],
    tables: ['users', 'subscribers'],
    neighbours: NB.auth,
    value: r => r.pick([true, false]),
    size: [10, 30],
  },
  {
    kind: 'card-meta',
    expected: [],
    names: ['card_type', 'card_brand', 'card_last4', 'card_network', 'card_bin', 'payment_method'],
    tables: ['payments', 'payment_methods'],
    neighbours: NB.payment,
    value: r =>
      r.pick([
        'visa',
        'mastercard',
        'amex',
        'discover',
        '4242',
        '1881',
        '0005',
        '5556',
        'card',
        'paypal',
      ]),
    size: [15, 40],
  },
  {
    kind: 'product-expiry',
    expected: [],
    names: ['expiry_date', 'expiration_date', 'best_before', 'expires_on', 'use_by', 'lot_expiry'],
    tables: ['inventory', 'batches', 'medications'],
    neighbours: NB.product,
    value: r => date(r, 2024, 2028, r.int(0, 2)),
  },
];

/** Stable, human-readable split of name variants. */
export function namesFor(spec: Spec, split: 'dev' | 'holdout'): string[] {
  const own = spec.names.filter((_, i) => (i % 2 === 0) === (split === 'dev'));
  return own.length > 0 ? own : spec.names;
}
