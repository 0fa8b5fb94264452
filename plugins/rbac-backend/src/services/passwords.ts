import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** OWASP's scrypt floor: N=2^17, r=8, p=1. Tests may lower N through config. */
export const DEFAULT_SCRYPT_COST = 2 ** 17;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 64;

function maxmem(cost: number, blockSize: number) {
  return 128 * cost * blockSize * 2;
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so the cost can change later. */
export async function hashPassword(password: string, cost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, {
    N: cost,
    r: BLOCK_SIZE,
    p: PARALLELISM,
    maxmem: maxmem(cost, BLOCK_SIZE),
  });
  return [
    'scrypt',
    cost,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64'),
    hash.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(
    password.normalize('NFKC'),
    Buffer.from(salt, 'base64'),
    expected.length,
    {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: maxmem(Number(n), Number(r)),
    },
  );
  return crypto.timingSafeEqual(actual, expected);
}

/** A hash to verify against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(cost: number): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'), cost);
  return dummyHash;
}

export interface PasswordPolicy {
  minLength: number;
}

/** NIST 800-63B style: length over composition rules; nothing derived from the username. */
export function passwordProblems(
  password: string,
  username: string,
  policy: PasswordPolicy,
): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) {
    problems.push(`must be at least ${policy.minLength} characters`);
  }
  if ([...password].length > 256) problems.push('must be at most 256 characters');
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push('must not contain the username');
  }
  if (/^(.)\1*$/u.test(password)) problems.push('must not repeat a single character');
  return problems;
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}
