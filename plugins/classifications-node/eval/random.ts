// Seeded randomness and check-digit *generators* for the evaluation fixtures. These are written
// independently of src/validators.ts (from the published algorithms) so that the fixtures also
// cross-check the engine's validators.
import { createHash } from 'node:crypto';

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';

/** Appends the Luhn check digit to a digit string. */
export function luhnComplete(body: string): string {
  for (let c = 0; c <= 9; c++) {
    const s = body + c;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let d = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

export function cardNumber(rng: Rng): string {
  const kind = rng.int(0, 5);
  if (kind === 0) return luhnComplete('4' + rng.digits(14)); // Visa 16
  if (kind === 1) return luhnComplete(String(rng.int(51, 55)) + rng.digits(13)); // MC
  if (kind === 2) return luhnComplete(String(rng.int(2221, 2720)) + rng.digits(11)); // MC 2-series
  if (kind === 3) return luhnComplete(rng.pick(['34', '37']) + rng.digits(12)); // Amex 15
  if (kind === 4) return luhnComplete('6011' + rng.digits(11)); // Discover
  return luhnComplete(String(rng.int(3528, 3589)) + rng.digits(11)); // JCB
}

export function formatCard(n: string, style: number): string {
  if (style === 0) return n;
  const sep = style === 1 ? ' ' : '-';
  if (n.length === 15) return [n.slice(0, 4), n.slice(4, 10), n.slice(10)].join(sep);
  return n.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
}

/** NHS number with a valid mod-11 check digit. */
export function nhsNumber(rng: Rng): string {
  for (;;) {
    const body = String(rng.int(4, 7)) + rng.digits(8);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return body + check;
  }
}

// prettier-ignore
const VD = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
// prettier-ignore
const VP = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

export function aadhaar(rng: Rng): string {
  const body = String(rng.int(2, 9)) + rng.digits(10);
  let c = 0;
  const rev = body.split('').reverse();
  for (let i = 0; i < rev.length; i++) c = VD[c]![VP[(i + 1) % 8]![Number(rev[i])]!]!;
  return body + VINV[c];
}

export function ibanFor(rng: Rng, country: string, bbanLength: number, alphaPositions = 0): string {
  let bban = alphaPositions > 0 ? rng.chars(alphaPositions, UPPER) : '';
  bban += rng.digits(bbanLength - alphaPositions);
  const rearranged = bban + country + '00';
  const numeric = rearranged.replace(/[A-Z]/g, ch => String(ch.charCodeAt(0) - 55));
  const check = 98n - (BigInt(numeric) % 97n);
  return country + String(check).padStart(2, '0') + bban;
}

export function iban(rng: Rng): string {
  const spec = rng.pick([
    ['DE', 18, 0],
    ['FR', 23, 0],
    ['GB', 18, 4],
    ['ES', 20, 0],
    ['IT', 23, 1],
    ['NL', 14, 4],
    ['BE', 12, 0],
    ['CH', 17, 0],
    ['PT', 21, 0],
    ['IE', 18, 4],
    ['AT', 16, 0],
    ['PL', 24, 0],
    ['SE', 20, 0],
  ] as const);
  return ibanFor(rng, spec[0], spec[1], spec[2]);
}

export function abaRouting(rng: Rng): string {
  for (;;) {
    const prefix = String(
      rng.pick([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 23, 24, 25, 26, 31, 32, 61, 63, 67]),
    ).padStart(2, '0');
    const body = prefix + rng.digits(6);
    const w = [3, 7, 1, 3, 7, 1, 3, 7];
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(body[i]) * w[i]!;
    const check = (10 - (sum % 10)) % 10;
    return body + check;
  }
}

export function npi(rng: Rng): string {
  const body = String(rng.int(1, 2)) + rng.digits(8);
  return luhnComplete('80840' + body).slice(5);
}

export function caSin(rng: Rng): string {
  return luhnComplete(String(rng.pick([1, 2, 3, 4, 5, 6, 7, 9])) + rng.digits(7));
}

export function ssn(rng: Rng): string {
  let area: number;
  do area = rng.int(1, 899);
  while (area === 666);
  return `${String(area).padStart(3, '0')}-${String(rng.int(1, 99)).padStart(2, '0')}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

export function itin(rng: Rng): string {
  const group = rng.pick([50, 55, 60, 65, 70, 75, 78, 80, 83, 88, 90, 92, 94, 97, 99]);
  return `9${rng.digits(2)}-${group}-${rng.digits(4)}`;
}

export function insee(rng: Rng): string {
  const body =
    String(rng.int(1, 2)) +
    String(rng.int(40, 99)).padStart(2, '0') +
    String(rng.int(1, 12)).padStart(2, '0') +
    String(rng.int(1, 95)).padStart(2, '0') +
    rng.digits(3) +
    rng.digits(3);
  const key = 97 - Number(BigInt(body) % 97n);
  return body + String(key).padStart(2, '0');
}

export function deTaxId(rng: Rng): string {
  for (;;) {
    // Ten digits, first non-zero, exactly one digit appearing twice.
    const digits = rng.shuffle(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']).slice(0, 9);
    digits.push(digits[rng.int(0, 8)]!);
    rng.shuffle(digits);
    if (digits[0] === '0') continue;
    let product = 10;
    for (const d of digits) {
      let sum = (Number(d) + product) % 10;
      if (sum === 0) sum = 10;
      product = (sum * 2) % 11;
    }
    const check = (11 - product) % 10;
    return digits.join('') + check;
  }
}

export function esDni(rng: Rng): string {
  const letters = 'TRWAGMYFPDXBNJZSQVHLCKE';
  if (rng.chance(0.3)) {
    const p = rng.int(0, 2);
    const num = rng.digits(7);
    return 'XYZ'[p] + num + letters[Number(String(p) + num) % 23];
  }
  const num = String(rng.int(10000000, 99999999));
  return num + letters[Number(num) % 23];
}

export function itFiscalCode(rng: Rng): string {
  const months = 'ABCDEHLMPRST';
  const body =
    rng.chars(6, UPPER) +
    String(rng.int(40, 99)) +
    months[rng.int(0, 11)] +
    String(rng.int(1, 71)).padStart(2, '0') +
    rng.pick(['A', 'B', 'C', 'D', 'F', 'H', 'L', 'M']) +
    rng.digits(3);
  // prettier-ignore
  const odd: Record<string, number> = {
    0: 1, 1: 0, 2: 5, 3: 7, 4: 9, 5: 13, 6: 15, 7: 17, 8: 19, 9: 21, A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15,
    H: 17, I: 19, J: 21, K: 2, L: 4, M: 18, N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22,
    X: 25, Y: 24, Z: 23,
  };
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = body[i]!;
    if (i % 2 === 0) sum += odd[ch]!;
    else sum += /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
  }
  return body + String.fromCharCode(65 + (sum % 26));
}

export function nino(rng: Rng): string {
  const first = 'ABCEGHJKLMNOPRSTWXYZ';
  const second = 'ABCEGHJKLMNPRSTWXYZ';
  let prefix: string;
  do prefix = rng.pick(first.split('')) + rng.pick(second.split(''));
  while (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix));
  return prefix + rng.digits(6) + rng.pick(['A', 'B', 'C', 'D']);
}

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
// prettier-ignore
const VIN_MAP: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4,
  V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
export function vin(rng: Rng): string {
  const chars = rng.chars(17, VIN_ALPHABET).split('');
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    if (i === 8) continue;
    const ch = chars[i]!;
    sum += (/\d/.test(ch) ? Number(ch) : VIN_MAP[ch]!) * weights[i]!;
  }
  const r = sum % 11;
  chars[8] = r === 10 ? 'X' : String(r);
  return chars.join('');
}

export function cpf(rng: Rng): string {
  const d = rng.digits(9).split('').map(Number);
  for (const len of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += d[i]! * (len + 1 - i);
    d.push(((sum * 10) % 11) % 10);
  }
  const s = d.join('');
  return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function sha256(b: Uint8Array): Uint8Array {
  return createHash('sha256').update(b).digest();
}
export function btcBase58(rng: Rng): string {
  const payload = new Uint8Array(21);
  payload[0] = rng.pick([0x00, 0x05]);
  for (let i = 1; i < 21; i++) payload[i] = rng.int(0, 255);
  const check = sha256(sha256(payload)).slice(0, 4);
  const full = new Uint8Array([...payload, ...check]);
  let n = BigInt('0x' + Buffer.from(full).toString('hex'));
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of full) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

const BECH = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
function polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const b = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((b >>> i) & 1) chk ^= gen[i]!;
  }
  return chk >>> 0;
}
export function btcBech32(rng: Rng): string {
  const hrp = 'bc';
  const data = [0];
  for (let i = 0; i < 32; i++) data.push(rng.int(0, 31));
  const expanded = [...hrp]
    .map(c => c.charCodeAt(0) >> 5)
    .concat(
      [0],
      [...hrp].map(c => c.charCodeAt(0) & 31),
    );
  const mod = polymod([...expanded, ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = [0, 1, 2, 3, 4, 5].map(i => (mod >>> (5 * (5 - i))) & 31);
  return hrp + '1' + [...data, ...checksum].map(v => BECH[v]).join('');
}

export function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
