import type { JsonSchema } from '@racine/kernel-common';
import type { DraftObject, DraftValue } from '@racine/kernel-react';

/** The general fields of every data source, as a JSON Schema the kernel's form renders. */
export const GENERAL_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      title: 'Name',
      minLength: 1,
      maxLength: 200,
      description: 'Unique within its workspace',
    },
    description: { type: 'string', title: 'Description', maxLength: 4000 },
    environment: { type: 'string', title: 'Environment', description: 'e.g. dev, staging or prod' },
    owner: {
      type: 'string',
      title: 'Owner',
      description: 'Entity ref of the owning user or group, e.g. group:default/data-platform',
    },
    tags: { type: 'array', items: { type: 'string' }, title: 'Tags' },
  },
};

const ACRONYMS = new Set([
  'ssl',
  'tls',
  'url',
  'uri',
  'id',
  'api',
  'sql',
  'dsn',
  'ca',
  'pem',
  'ssh',
  'jdbc',
  'odbc',
]);

/** A label for a config key without a `title`: `sslRootCert` → "SSL root cert". */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map(word => (ACRONYMS.has(word) ? word.toUpperCase() : word));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The connector's configuration schema without its secret fields (rendered as password
 * inputs separately). PEM certificates get a multi-line input: the kernel form renders long
 * strings (maxLength > 256) as text areas, and a pasted PEM must keep its line breaks.
 */
export function publicConfigSchema(schema: JsonSchema, secretFields: string[]): JsonSchema {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (secretFields.includes(key) || !isRecord(value)) continue;
    const description = typeof value.description === 'string' ? value.description : '';
    const titled = typeof value.title === 'string' ? value : { ...value, title: fieldLabel(key) };
    kept[key] =
      value.type === 'string' && value.maxLength === undefined && /\bPEM\b/.test(description)
        ? { ...titled, maxLength: 100_000 }
        : titled;
  }
  const required = Array.isArray(schema.required)
    ? schema.required.filter(r => typeof r === 'string' && !secretFields.includes(r))
    : [];
  return { ...schema, properties: kept, required };
}

export interface SecretFieldInfo {
  name: string;
  label: string;
  description?: string;
  required: boolean;
}

export function secretFieldInfo(schema: JsonSchema, secretFields: string[]): SecretFieldInfo[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return secretFields.map(name => {
    const property = isRecord(properties[name])
      ? (properties[name] as Record<string, unknown>)
      : {};
    return {
      name,
      label: typeof property.title === 'string' ? property.title : fieldLabel(name),
      description: typeof property.description === 'string' ? property.description : undefined,
      required: required.has(name),
    };
  });
}

/** A stored value as the form edits it (numbers as text). */
export function toDraftValue(value: unknown): DraftValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(String);
  if (isRecord(value)) {
    const out: DraftObject = {};
    for (const [k, v] of Object.entries(value)) {
      const draft = toDraftValue(v);
      if (draft !== undefined) out[k] = draft;
    }
    return out;
  }
  return JSON.stringify(value);
}

/**
 * Splits a server 400 message (`Invalid config: config.host: Required; config.port: …`) into
 * per-field messages, keyed by the field path without the `config.` prefix when `prefix` is
 * `config`, or the top-level body field otherwise.
 */
export function fieldErrorsFrom(message: string, prefix?: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const body = message.replace(/^Invalid [a-z ]+: /, '');
  for (const part of body.split('; ')) {
    const match = /^([A-Za-z0-9_.]+): (.+)$/.exec(part);
    if (!match) continue;
    const [, path, text] = match;
    if (prefix) {
      if (path.startsWith(`${prefix}.`)) errors[path.slice(prefix.length + 1)] = text;
    } else if (!path.startsWith('config')) {
      errors[path] = text;
    }
  }
  return errors;
}
