import { dictionaries } from '../dictionaries/index.js';
import { maskAll, maskCardNumber, maskKeepEnds, maskSecret, maskTail } from '../mask.js';
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
  CH_SPACE,
  CH_UNDERSCORE,
  SHAPE_ONLY,
  type Classifier,
  type ValueShape,
} from '../types.js';
import {
  abaChecksum,
  base58Check,
  bech32Check,
  cardNetwork,
  isValidIban,
  luhn,
} from '../validators.js';
import { defineClassifier, parseAmount } from './common.js';

// ---------------------------------------------------------------------------------------------
// Payment cards

const CARD_GROUPED_RE = /^\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}$/;
const CARD_AMEX_RE = /^\d{4}([ -])\d{6}\1\d{5}$/;
const CARD_PLAIN_RE = /^\d{12,19}$/;

function cardStrength(s: ValueShape): number {
  if (s.digits < 12 || s.digits > 19) return 0;
  const t = s.text;
  let digits: string;
  if (s.length === s.digits) {
    if (!CARD_PLAIN_RE.test(t)) return 0;
    digits = t;
  } else {
    if (!CARD_GROUPED_RE.test(t) && !CARD_AMEX_RE.test(t)) return 0;
    digits = digitsOnly(t);
  }
  if (cardNetwork(digits) === undefined) return 0;
  return luhn(digits) ? 0.95 : SHAPE_ONLY;
}

export const CREDIT_CARD_NUMBER: Classifier = defineClassifier({
  id: 'FIN.CREDIT_CARD_NUMBER',
  name: 'Payment card number',
  description: 'Credit/debit card PANs: issuer (IIN) range and length checked, Luhn validated.',
  categories: ['PCI', 'FINANCIAL'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005'],
  names: {
    strong: words(`
        card_number cardnumber card_no card_num cc_number cc_num ccnum cc_no credit_card
        creditcard credit_card_number debit_card debit_card_number pan primary_account_number
        card_pan payment_card cc ccn numero_carte tarjeta kartennummer
      `),
    weak: words('card payment_method_number'),
    context: words(`
        payment payments card cards billing checkout cvv expiry cardholder transaction
        transactions
      `),
    exclude: words(`
        last4 last_4 last first6 bin iin type brand network token hash fingerprint expiry exp
        count flag masked holder name country issuer id gift
      `),
  },
  value: {
    minDistinct: 2,
    minLength: 12,
    maxLength: 23,
    requires: CH_DIGIT,
    forbids:
      CH_LETTER | CH_AT | CH_DOT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: cardStrength,
    validator: 'luhn+iin',
    negatives: { ISBNS: 0.2, SEQUENTIAL_IDS: 0.3, TIMESTAMPS: 0.3 },
    mask: maskCardNumber,
  },
});

const EXPIRY_MM_YY_RE = /^(0[1-9]|1[0-2])\s?[/-]\s?(\d{2}|20\d{2})$/;
const EXPIRY_YYYY_MM_RE = /^20\d{2}[-/](0[1-9]|1[0-2])$/;
const EXPIRY_MMYY_RE = /^(0[1-9]|1[0-2])\d{2}$/;

export const CARD_EXPIRY: Classifier = defineClassifier({
  id: 'FIN.CARD_EXPIRY',
  name: 'Card expiry date',
  description: 'Payment card expiration dates (MM/YY, MM/YYYY).',
  categories: ['PCI', 'FINANCIAL'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['04/27', '11/2029'],
  names: {
    strong: words(`
        card_expiry card_exp cc_exp cc_expiry cc_expiration card_expiration card_expiration_date
        card_expiry_date exp_date expiry_date expiration_date expiry expiration exp valid_thru
        valid_through valid_until good_thru exp_month_year expdate ccexp expiry_mm_yy exp_mm_yy
      `),
    weak: words('expires valid_to'),
    strongWeight: 0.7,
    context: words('card cards payment payments billing cc cvv cardholder pan'),
    exclude: words(`
        password token session cache contract license licence passport subscription trial offer
        coupon warranty product batch lot food drug medication visa certificate cert domain link
        invite key id
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 4,
    maxLength: 9,
    requires: CH_DIGIT,
    forbids: CH_LETTER | CH_AT | CH_DOT | CH_COLON | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => {
      if (EXPIRY_MM_YY_RE.test(s.text)) return 0.5;
      if (EXPIRY_YYYY_MM_RE.test(s.text)) return 0.1;
      return s.length === 4 && EXPIRY_MMYY_RE.test(s.text) ? 0.05 : 0;
    },
    negatives: { ACADEMIC_YEARS: 0.3, SMALL_INT_RANGE: 0.3 },
    mask: maskAll,
  },
});

const CVV_RE = /^\d{3,4}$/;

export const CARD_CVV: Classifier = defineClassifier({
  id: 'FIN.CARD_CVV',
  name: 'Card security code',
  description:
    'CVV/CVC/CID card verification values (3–4 digits); recognised by name and card context only.',
  categories: ['PCI', 'FINANCIAL'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['123', '4821'],
  names: {
    strong: words(`
        cvv cvv2 cvc cvc2 cvn csc cvd card_verification card_verification_value
        card_verification_code card_security_code cc_cvv card_cvv card_cvc cvv_code cvc_code
        security_code_card cryptogramme
      `),
    weak: words('security_code card_code cid sec_code verification_code code'),
    weakWeight: 0.45,
    context: words(`
        card cards payment payments billing cc pan expiry exp cardholder checkout
      `),
    exclude: words(`
        year years yr academic acad term semester session fiscal fy school course class grade
        customer client campaign category country area zip postal branch store hash result match
        response check status flag count
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 3,
    maxLength: 4,
    requires: CH_DIGIT,
    forbids: CH_LETTER | CH_SPACE | CH_DOT,
    test: (s: ValueShape) => (CVV_RE.test(s.text) ? 0.02 : 0),
    maxStrength: 0.02,
    negatives: { ACADEMIC_YEARS: 0.15, SMALL_INT_RANGE: 0.3, SEQUENTIAL_IDS: 0.3 },
    mask: maskAll,
  },
});

// ---------------------------------------------------------------------------------------------
// Bank identifiers

const IBAN_SHAPE_RE = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;

export const IBAN: Classifier = defineClassifier({
  id: 'FIN.IBAN',
  name: 'IBAN',
  description: 'International Bank Account Numbers (per-country length, mod-97 check).',
  categories: ['FINANCIAL'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000'],
  names: {
    strong: words(`
        iban iban_number iban_no iban_code account_iban bank_iban beneficiary_iban payee_iban
        iban_account
      `),
    weak: words('bank_account account_number'),
    context: words('bank payment payout sepa beneficiary swift bic'),
    exclude: words('country hash flag count valid verified type masked last4'),
  },
  value: {
    minDistinct: 2,
    minLength: 15,
    maxLength: 42,
    requires: CH_DIGIT | CH_LETTER,
    forbids: CH_AT | CH_DOT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => {
      let compact = s.spaces > 0 || s.length > 34 ? s.text.replace(/[\s-]/g, '') : s.text;
      if (s.upper !== s.letters) compact = compact.toUpperCase();
      if (!IBAN_SHAPE_RE.test(compact)) return 0;
      return isValidIban(compact) ? 0.97 : SHAPE_ONLY;
    },
    validator: 'mod97',
    mask: (v: string) => maskKeepEnds(v, 2, 4),
  },
});

const BIC_RE = /^[A-Z]{4}([A-Z]{2})[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?$/;

export const SWIFT_BIC: Classifier = defineClassifier({
  id: 'FIN.SWIFT_BIC',
  name: 'SWIFT/BIC code',
  description: 'Bank identifier codes (ISO 9362), 8 or 11 characters with a valid country.',
  categories: ['FINANCIAL'],
  sensitivity: 'INTERNAL',
  threshold: 0.6,
  examples: ['DEUTDEFF', 'NWBKGB2L', 'BNPAFRPPXXX'],
  names: {
    strong: words(`
        swift swift_code swiftcode bic bic_code swift_bic bic_swift bank_identifier_code
        swiftbic bank_bic beneficiary_bic bank_swift
      `),
    weak: words('bank_code'),
    context: words(`
        bank banks iban payment payments payout wire sepa beneficiary remittance
      `),
    exclude: words('hash flag count type valid'),
  },
  value: {
    minDistinct: 2,
    minLength: 8,
    maxLength: 11,
    requires: CH_LETTER,
    forbids: CH_SPACE | CH_AT | CH_DOT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => {
      if ((s.length !== 8 && s.length !== 11) || s.upper !== s.letters) return 0;
      const m = BIC_RE.exec(s.text);
      if (!m || !dictionaries().countryAlpha2.has(m[1]!)) return 0;
      if (s.length === 11) return 0.6;
      // An 8-letter upper-case word can pass the shape by chance (CUSTOMER → country OM).
      return s.digits > 0 ? 0.5 : 0.3;
    },
    dictionary: 'country-codes',
    negatives: { PREFIXED_IDS: 0.5 },
    mask: (v: string) => maskKeepEnds(v, 4, 0),
  },
});

const BANK_ACCOUNT_RE = /^\d{6,17}$/;

export const US_BANK_ACCOUNT: Classifier = defineClassifier({
  id: 'FIN.US_BANK_ACCOUNT',
  name: 'US bank account number',
  description:
    'US checking/savings account numbers (6–17 digits); recognised by name and banking context.',
  categories: ['FINANCIAL'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['000123456789', '4820019376'],
  names: {
    strong: words(`
        bank_account bank_account_number bank_account_no bank_acct bank_acct_no bank_acct_num
        bankaccount bankaccountnumber account_number accountnumber acct_number acct_no acct_num
        acctnum account_no account_num checking_account checking_account_number savings_account
        savings_account_number dda_account dda ach_account deposit_account
        direct_deposit_account beneficiary_account payee_account routing_account
      `),
    strongWeight: 0.7,
    weak: words('account acct'),
    context: words(`
        bank banks banking routing aba ach checking savings deposit payroll wire payee
        beneficiary payout
      `),
    exclude: words(`
        gl ledger type status name email holder manager owner balance currency opened closed
        created updated id uuid key role plan tier level count flag masked last4 last hash token
        iban customer crm sales salesforce login user username ad aws cloud service billing
        loyalty member membership utility phone mobile
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 6,
    maxLength: 17,
    requires: CH_DIGIT,
    forbids: CH_LETTER | CH_SPACE | CH_DOT | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => (s.digits === s.length && BANK_ACCOUNT_RE.test(s.text) ? 0.05 : 0),
    maxStrength: 0.05,
    negatives: { SEQUENTIAL_IDS: 0.4, TIMESTAMPS: 0.3, ISBNS: 0.3, SMALL_INT_RANGE: 0.2 },
    mask: (v: string) => maskTail(v, 4),
  },
});

export const US_ROUTING_NUMBER: Classifier = defineClassifier({
  id: 'FIN.US_ROUTING_NUMBER',
  name: 'US ABA routing number',
  description: 'ABA routing transit numbers (9 digits, Federal Reserve prefix, 3-7-1 checksum).',
  categories: ['FINANCIAL'],
  sensitivity: 'INTERNAL',
  threshold: 0.6,
  examples: ['021000021', '011000015'],
  names: {
    strong: words(`
        routing_number routing_no routing_num routing aba aba_number aba_routing
        aba_routing_number rtn routing_transit_number transit_number bank_routing
        bank_routing_number routingnumber
      `),
    context: words('bank ach account checking payroll deposit wire'),
    exclude: words('hash flag count type key rule rules table queue strategy'),
  },
  value: {
    minDistinct: 3,
    minLength: 9,
    maxLength: 9,
    requires: CH_DIGIT,
    forbids: CH_LETTER | CH_SPACE | CH_DOT,
    test: (s: ValueShape) => {
      if (s.digits !== 9) return 0;
      return abaChecksum(s.text) ? 0.65 : SHAPE_ONLY;
    },
    validator: 'aba-checksum',
    negatives: { SEQUENTIAL_IDS: 0.4 },
    mask: (v: string) => maskKeepEnds(v, 4, 0),
  },
});

// ---------------------------------------------------------------------------------------------
// Crypto wallets

const BTC_BASE58_RE = /^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/;
const BTC_BECH32_RE = /^(?:bc|tb)1[02-9ac-hj-np-z]{11,87}$/i;
const ETH_RE = /^0x[0-9a-fA-F]{40}$/;

export const CRYPTO_WALLET: Classifier = defineClassifier({
  id: 'FIN.CRYPTO_WALLET',
  name: 'Crypto wallet address',
  description: 'Bitcoin (Base58Check, Bech32) and Ethereum addresses.',
  categories: ['FINANCIAL'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: [
    '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    '0x52908400098527886E0F7030069857D2E4169EE7',
  ],
  names: {
    strong: words(`
        wallet wallet_address btc_address eth_address bitcoin_address ethereum_address
        crypto_address crypto_wallet deposit_address payout_address wallet_addr public_address
      `),
    weak: words('address addr'),
    context: words('crypto bitcoin btc eth ethereum blockchain wallet wallets token chain'),
    exclude: words('balance type count flag name id network'),
  },
  value: {
    minDistinct: 2,
    minLength: 26,
    maxLength: 90,
    requires: CH_DIGIT | CH_LETTER,
    forbids: CH_SPACE | CH_AT | CH_DOT | CH_COLON | CH_SLASH | CH_UNDERSCORE | CH_DOLLAR | CH_COMMA,
    test: (s: ValueShape) => {
      const t = s.text;
      if (s.length === 42 && ETH_RE.test(t)) return 0.85;
      if (s.length <= 35 && BTC_BASE58_RE.test(t)) return base58Check(t) ? 0.95 : SHAPE_ONLY;
      if (BTC_BECH32_RE.test(t)) return bech32Check(t) ? 0.95 : SHAPE_ONLY;
      return 0;
    },
    validator: 'base58check/bech32',
    mask: (v: string) => maskSecret(v, 6),
  },
});

// ---------------------------------------------------------------------------------------------
// Salary

export const SALARY: Classifier = defineClassifier({
  id: 'FIN.SALARY',
  name: 'Salary or compensation',
  description: 'Pay, wages and compensation amounts of individuals; recognised by column name.',
  categories: ['FINANCIAL', 'SPI'],
  sensitivity: 'CONFIDENTIAL',
  threshold: 0.6,
  examples: ['85000', '$120,000.00', '42.50'],
  names: {
    strong: words(`
        salary salaries wage wages annual_salary base_salary base_pay gross_pay net_pay
        gross_salary net_salary pay_rate payrate hourly_rate hourly_wage compensation
        total_compensation total_comp base_comp remuneration annual_income income monthly_income
        salaire sueldo salario gehalt lohn stipend payroll_amount bonus_amount annual_pay
        monthly_salary yearly_salary ctc earnings
      `),
    weak: words('bonus commission pay paycheck'),
    context: words(`
        employee employees payroll hr staff worker workers personnel compensation
      `),
    exclude: words(`
        id date type grade band currency frequency period code range scale structure method
        status flag count account tax category source statement verified bracket
      `),
  },
  value: {
    minDistinct: 3,
    minLength: 1,
    maxLength: 20,
    requires: CH_DIGIT,
    forbids: CH_AT | CH_COLON | CH_SLASH | CH_UNDERSCORE,
    test: (s: ValueShape) => {
      const n = parseAmount(s.text);
      return n !== undefined && n >= 1 && n <= 50_000_000 ? 0.03 : 0;
    },
    negatives: { SMALL_INT_RANGE: 0.3, SEQUENTIAL_IDS: 0.3, TIMESTAMPS: 0.2 },
    maxStrength: 0.03,
    mask: maskAll,
  },
});

export const FIN_CLASSIFIERS: readonly Classifier[] = [
  CREDIT_CARD_NUMBER,
  CARD_EXPIRY,
  CARD_CVV,
  IBAN,
  SWIFT_BIC,
  US_BANK_ACCOUNT,
  US_ROUTING_NUMBER,
  CRYPTO_WALLET,
  SALARY,
];
