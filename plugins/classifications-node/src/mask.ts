// Masking helpers: evidence may only ever carry values passed through one of these.

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/**
 * Keeps `start` leading and `end` trailing letters/digits, replaces the others with `*` and keeps
 * separators, so the format stays recognisable: `123-45-6789` → `***-**-6789` with (0, 4).
 */
export function maskKeepEnds(value: string, start: number, end: number): string {
  let total = 0;
  for (let i = 0; i < value.length; i++) if (isAlnum(value.charCodeAt(i))) total++;
  // Never reveal more than half of the characters, whatever the caller asked for.
  while (start + end > total / 2 && (start > 0 || end > 0)) {
    if (start >= end && start > 0) start--;
    else end--;
  }
  let seen = 0;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (!isAlnum(value.charCodeAt(i))) {
      out += ch;
      continue;
    }
    out += seen < start || seen >= total - end ? ch : '*';
    seen++;
  }
  return out;
}

/** `4111111111111111` → `4111 **** **** 1111` (Amex-length numbers are grouped 4-6-5). */
export function maskCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 12) return maskKeepEnds(value, 0, 2);
  const masked = digits.slice(0, 4) + '*'.repeat(digits.length - 8) + digits.slice(-4);
  if (masked.length === 15)
    return `${masked.slice(0, 4)} ${masked.slice(4, 10)} ${masked.slice(10)}`;
  return masked.replace(/(.{4})(?=.)/g, '$1 ');
}

/** `jane.doe@example.com` → `j***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return maskKeepEnds(value, 1, 0);
  return `${value[0]}***${value.slice(at)}`;
}

/** `Jane Doe` → `J*** D**`: first letter of each word. */
export function maskWords(value: string): string {
  return value.replace(
    /[^\s,.'-]+/g,
    w => w[0] + '*'.repeat(Math.max(2, Math.min(w.length - 1, 6))),
  );
}

/** Keeps the last `keep` letters/digits: `GB29NWBK60161331926819` → `******************6819`. */
export function maskTail(value: string, keep = 4): string {
  return maskKeepEnds(value, 0, keep);
}

/** Secrets show only a short recognisable prefix: `AKIAIOSFODNN7EXAMPLE` → `AKIA…[20 chars]`. */
export function maskSecret(value: string, prefix = 4): string {
  const head = value.slice(0, Math.min(prefix, Math.floor(value.length / 4)));
  return `${head}…[${value.length} chars]`;
}

/** Fully hides letters and digits but keeps the layout: `85,000.00` → `**,***.**`. */
export function maskAll(value: string): string {
  return maskKeepEnds(value, 0, 0);
}

/** Dictionary-style values (cities, conditions) keep their first letter: `Lisbon` → `L*****`. */
export function maskHead(value: string): string {
  return maskKeepEnds(value, 1, 0);
}
