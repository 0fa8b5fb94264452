import { createHash } from 'node:crypto';

// Checksum validators. Each takes the bare identifier (separators already removed unless noted)
// and never throws; invalid characters simply fail validation.

/** Luhn (mod 10) check used by payment cards, Canadian SINs and NPIs. */
export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 1 && sum % 10 === 0;
}

/** ISO 7064 mod 97-10 over an alphanumeric string (letters A=10..Z=35), computed piecewise. */
export function mod97(text: string): number {
  let rem = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else if (c >= 97 && c <= 122) rem = (rem * 100 + (c - 87)) % 97;
    else return -1;
  }
  return rem;
}

/** IBAN lengths per country (SWIFT IBAN registry). */
// prettier-ignore
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** Full IBAN validation: known country, exact length and mod-97 remainder of 1. */
export function isValidIban(compact: string): boolean {
  const upper = compact.toUpperCase();
  const expected = IBAN_LENGTHS[upper.slice(0, 2)];
  if (expected === undefined || upper.length !== expected) return false;
  return mod97(upper.slice(4) + upper.slice(0, 4)) === 1;
}

// prettier-ignore
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
// prettier-ignore
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff check (Aadhaar): true when the last digit is the correct check digit. */
export function verhoeff(digits: string): boolean {
  let c = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) {
    const d = digits.charCodeAt(n - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![d]!]!;
  }
  return n > 1 && c === 0;
}

/** ABA routing number checksum (weights 3,7,1) plus a valid Federal Reserve prefix. */
export function abaChecksum(digits: string): boolean {
  if (digits.length !== 9 || !/^\d{9}$/.test(digits)) return false;
  const prefix = Number(digits.slice(0, 2));
  const validPrefix =
    prefix <= 12 ||
    (prefix >= 21 && prefix <= 32) ||
    (prefix >= 61 && prefix <= 72) ||
    prefix === 80;
  if (!validPrefix) return false;
  let sum = 0;
  const w = [3, 7, 1];
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * w[i % 3]!;
  return sum % 10 === 0;
}

/** NHS number: mod 11 with weights 10..2; a remainder giving 10 is never issued. */
export function nhsMod11(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digits.charCodeAt(9) - 48;
}

/** US National Provider Identifier: Luhn over the 80840 prefix plus the ten digits. */
export function npiCheck(digits: string): boolean {
  return /^[12]\d{9}$/.test(digits) && luhn('80840' + digits);
}

// prettier-ignore
const VIN_VALUES: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** North-American VIN check digit (position 9). Expects 17 upper-case characters without I, O, Q. */
export function vinCheckDigit(vin: string): boolean {
  if (vin.length !== 17) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin[i]!;
    const c = ch.charCodeAt(0);
    const v = c >= 48 && c <= 57 ? c - 48 : VIN_VALUES[ch];
    if (v === undefined) return false;
    sum += v * VIN_WEIGHTS[i]!;
  }
  const r = sum % 11;
  const expected = r === 10 ? 'X' : String(r);
  return vin[8] === expected;
}

/** ISBN-10 (mod 11, final X allowed). */
export function isbn10(text: string): boolean {
  if (!/^\d{9}[\dX]$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const v = text[i] === 'X' ? 10 : text.charCodeAt(i) - 48;
    sum += v * (10 - i);
  }
  return sum % 11 === 0;
}

/** ISBN-13 / EAN-13 (weights 1,3). */
export function ean13(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

const NIF_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI/NIE: the control letter is number mod 23; NIE prefixes X/Y/Z map to 0/1/2. */
export function esNifCheck(compact: string): boolean {
  const m = /^([XYZ]|\d)(\d{7})([A-Z])$/.exec(compact.toUpperCase());
  if (!m) return false;
  const head = m[1]!;
  const prefix = head === 'X' ? '0' : head === 'Y' ? '1' : head === 'Z' ? '2' : head;
  const num = Number(prefix + m[2]!);
  return NIF_LETTERS[num % 23] === m[3];
}

// prettier-ignore
const CF_ODD: Readonly<Record<string, number>> = {
  '0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18, N: 20,
  O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};

/** Italian codice fiscale check character (positions 1..15 weighted odd/even). */
export function itFiscalCodeCheck(code: string): boolean {
  const cf = code.toUpperCase();
  if (cf.length !== 16) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = cf[i]!;
    const c = ch.charCodeAt(0);
    if ((i + 1) % 2 === 1) {
      const v = CF_ODD[ch];
      if (v === undefined) return false;
      sum += v;
    } else if (c >= 48 && c <= 57) sum += c - 48;
    else if (c >= 65 && c <= 90) sum += c - 65;
    else return false;
  }
  return String.fromCharCode(65 + (sum % 26)) === cf[15];
}

/** French NIR/INSEE: key = 97 − (13-digit number mod 97). */
export function frInseeCheck(compact: string): boolean {
  const s = compact.toUpperCase();
  if (!/^[12]\d{4}(\d{2}|2A|2B)\d{6}\d{2}$/.test(s)) return false;
  // Corsican departments 2A/2B count as 19/18 for the key (same as python-stdnum).
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  // 13 digits fit exactly in a double.
  const key = 97 - (Number(body) % 97);
  return key === Number(s.slice(13));
}

/**
 * German tax identification number (Steuer-IdNr): 11 digits, no leading zero, in the first ten
 * digits exactly one digit repeats (2 or 3 times), check digit by ISO 7064 MOD 11,10.
 */
export function deTaxIdCheck(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10; i++) counts[digits.charCodeAt(i) - 48]!++;
  let repeated = 0;
  for (const c of counts) {
    if (c > 3) return false;
    if (c >= 2) repeated++;
  }
  if (repeated !== 1) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (digits.charCodeAt(i) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === digits.charCodeAt(10) - 48;
}

/** Canadian SIN: nine digits, Luhn, first digit not 0 or 8 (never issued). */
export function caSinCheck(digits: string): boolean {
  return /^[1-79]\d{8}$/.test(digits) && luhn(digits);
}

/** US SSN structural rules: area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function ssnStructure(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (digits.slice(3, 5) === '00') return false;
  return digits.slice(5) !== '0000';
}

/** Brazilian CPF check digits (mod 11 twice); used as generic national-id value evidence. */
export function brCpfCheck(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  for (const len of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (digits.charCodeAt(i) - 48) * (len + 1 - i);
    let check = (sum * 10) % 11;
    if (check === 10) check = 0;
    if (check !== digits.charCodeAt(len) - 48) return false;
  }
  return true;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Bitcoin-style Base58Check: decodes and verifies the double SHA-256 checksum. */
export function base58Check(text: string): boolean {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let carry = BASE58.indexOf(text[i]!);
    if (carry < 0) return false;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < text.length && text[i] === '1'; i++) bytes.push(0);
  bytes.reverse();
  if (bytes.length < 5) return false;
  const payload = Buffer.from(bytes.slice(0, -4));
  const hash = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest();
  for (let i = 0; i < 4; i++) if (hash[i] !== bytes[bytes.length - 4 + i]) return false;
  return true;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** Bech32 / Bech32m checksum (segwit addresses such as `bc1q…`, `bc1p…`). */
export function bech32Check(address: string): boolean {
  const lower = address.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return false;
  const hrp = lower.slice(0, sep);
  let chk = 1;
  const step = (v: number): void => {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i]!;
  };
  for (let i = 0; i < hrp.length; i++) step(hrp.charCodeAt(i) >>> 5);
  step(0);
  for (let i = 0; i < hrp.length; i++) step(hrp.charCodeAt(i) & 31);
  for (let i = sep + 1; i < lower.length; i++) {
    const v = BECH32_CHARSET.indexOf(lower[i]!);
    if (v < 0) return false;
    step(v);
  }
  chk = chk >>> 0;
  return chk === 1 || chk === 0x2bc830a3;
}

/** Payment-card issuer (IIN) ranges with the card lengths each network issues. */
export function cardNetwork(digits: string): string | undefined {
  const len = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4' && (len === 13 || len === 16 || len === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && len === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && len === 15) return 'amex';
  if ((p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) && len >= 16 && len <= 19)
    return 'discover';
  if (p6 >= 622126 && p6 <= 622925 && len >= 16 && len <= 19) return 'discover';
  if (p2 === 62 && len >= 16 && len <= 19) return 'unionpay';
  if (p4 >= 3528 && p4 <= 3589 && len >= 16 && len <= 19) return 'jcb';
  if (((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) && len >= 14 && len <= 19)
    return 'diners';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && len >= 12 && len <= 19) return 'maestro';
  return undefined;
}
