/**
 * Custom properties as the edit form shows them: one `key=value` a line. A value reads as a
 * number only in its plain form (`365`, `-1.5`: not `00123`, `1.10` or `0x1F`, which stay
 * text), as a boolean when `true` or `false`, and as text otherwise; text that would read
 * otherwise is shown in double quotes (`"365"`), so that what is saved unchanged comes back
 * unchanged.
 */
export type PropertyValue = string | number | boolean;

/** Whether `raw` is a number written the way JavaScript writes it back. */
function plainNumber(raw: string): boolean {
  const value = Number(raw);
  return raw.trim() !== '' && Number.isFinite(value) && String(value) === raw;
}

/** A text value that the form would read as something else: quoted. */
function ambiguous(text: string): boolean {
  return (
    text === 'true' ||
    text === 'false' ||
    plainNumber(text) ||
    text !== text.trim() ||
    text.includes('\n') ||
    (text.length >= 2 && text.startsWith('"') && text.endsWith('"'))
  );
}

export function propertiesToText(properties: Record<string, unknown>): string {
  return Object.entries(properties)
    .map(([key, value]) => {
      if (typeof value === 'string')
        return `${key}=${ambiguous(value) ? JSON.stringify(value) : value}`;
      return `${key}=${JSON.stringify(value)}`;
    })
    .join('\n');
}

function readValue(raw: string): PropertyValue {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (plainNumber(raw)) return Number(raw);
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      const text: unknown = JSON.parse(raw);
      if (typeof text === 'string') return text;
    } catch {
      // Not a JSON string: the text as written, quotes included.
    }
  }
  return raw;
}

/** Lines without a key (`=x`, blank lines, no `=`) are left out. */
export function textToProperties(text: string): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at).trim();
    if (!key) continue;
    out[key] = readValue(line.slice(at + 1).trim());
  }
  return out;
}
