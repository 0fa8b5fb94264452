import type { JsonSchema } from '@racine/kernel-common';

/*
 * The subset of JSON Schema the action forms understand: what zod's JSON Schema output
 * produces for action inputs (objects of strings, numbers, booleans, enums, arrays of
 * strings, nested objects, optional fields, defaults, descriptions). Anything else is
 * edited as raw JSON so no action is ever unusable from the UI.
 */

export type FieldKind =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'enum-array'
  | 'string-array'
  | 'object'
  | 'json';

/** What a field holds while being edited (numbers as typed text, JSON as text). */
export type DraftValue = string | boolean | string[] | DraftObject;
export interface DraftObject {
  [key: string]: DraftValue;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unwraps `anyOf/oneOf: [X, {type: 'null'}]` and `type: [X, 'null']` (nullable fields). */
export function resolveSchema(schema: JsonSchema): JsonSchema {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants)) {
      const nonNull = variants.filter((v): v is JsonSchema => isObject(v) && v.type !== 'null');
      if (nonNull.length === 1) {
        const { [key]: _dropped, ...rest } = schema;
        return resolveSchema({ ...rest, ...nonNull[0] });
      }
    }
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter(t => t !== 'null');
    if (types.length === 1) return { ...schema, type: types[0] };
  }
  return schema;
}

function enumValues(schema: JsonSchema): string[] | undefined {
  if (Array.isArray(schema.enum) && schema.enum.every(v => typeof v === 'string'))
    return schema.enum as string[];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const variants = schema[key];
    if (
      Array.isArray(variants) &&
      variants.length > 0 &&
      variants.every(v => isObject(v) && typeof v.const === 'string')
    ) {
      return variants.map(v => (v as { const: string }).const);
    }
  }
  return undefined;
}

export function fieldKind(rawSchema: JsonSchema): FieldKind {
  const schema = resolveSchema(rawSchema);
  if (enumValues(schema)) return 'enum';
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'object':
      return isObject(schema.properties) ? 'object' : 'json';
    case 'array': {
      const items = isObject(schema.items) ? resolveSchema(schema.items) : undefined;
      if (items && enumValues(items)) return 'enum-array';
      if (items && (items.type === 'string' || items.type === 'number' || items.type === 'integer'))
        return 'string-array';
      return 'json';
    }
    default:
      return 'json';
  }
}

export function enumOptions(rawSchema: JsonSchema): string[] {
  const schema = resolveSchema(rawSchema);
  const kind = fieldKind(schema);
  if (kind === 'enum') return enumValues(schema) ?? [];
  if (kind === 'enum-array' && isObject(schema.items))
    return enumValues(resolveSchema(schema.items)) ?? [];
  return [];
}

export function properties(schema: JsonSchema): [string, JsonSchema][] {
  const props = resolveSchema(schema).properties;
  if (!isObject(props)) return [];
  return Object.entries(props).filter((entry): entry is [string, JsonSchema] => isObject(entry[1]));
}

export function requiredFields(schema: JsonSchema): Set<string> {
  const required = resolveSchema(schema).required;
  return new Set(
    Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : [],
  );
}

/** "workspaceName" → "Workspace name". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The empty form for `schema`, pre-filled with its defaults. */
export function initialDraft(schema: JsonSchema): DraftObject {
  const draft: DraftObject = {};
  for (const [key, prop] of properties(schema)) draft[key] = initialFieldDraft(prop);
  return draft;
}

function initialFieldDraft(rawSchema: JsonSchema): DraftValue {
  const schema = resolveSchema(rawSchema);
  const fallback = schema.default;
  switch (fieldKind(schema)) {
    case 'boolean':
      return typeof fallback === 'boolean' ? fallback : false;
    case 'enum-array':
    case 'string-array':
      return Array.isArray(fallback) ? fallback.map(String) : [];
    case 'object':
      return initialDraft(schema);
    case 'json':
      return fallback === undefined ? '' : JSON.stringify(fallback, null, 2);
    default:
      return fallback === undefined || fallback === null ? '' : String(fallback);
  }
}

export interface BuildResult {
  value: Record<string, unknown>;
  /** Field path (`a.b`) → message; empty when the input is valid. */
  errors: Record<string, string>;
}

/** Turns the draft into the action input, validating it against the schema. */
export function buildInput(schema: JsonSchema, draft: DraftObject): BuildResult {
  const errors: Record<string, string> = {};
  const value = buildObject(schema, draft, '', errors);
  return { value, errors };
}

function buildObject(
  schema: JsonSchema,
  draft: DraftObject,
  prefix: string,
  errors: Record<string, string>,
): Record<string, unknown> {
  const required = requiredFields(schema);
  const out: Record<string, unknown> = {};
  for (const [key, prop] of properties(schema)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const built = buildField(prop, draft[key], path, required.has(key), errors);
    if (built !== undefined) out[key] = built;
  }
  return out;
}

function buildField(
  rawSchema: JsonSchema,
  draft: DraftValue | undefined,
  path: string,
  required: boolean,
  errors: Record<string, string>,
): unknown {
  const schema = resolveSchema(rawSchema);
  const kind = fieldKind(schema);
  const missing = () => {
    if (required) errors[path] = 'Required';
    return undefined;
  };
  switch (kind) {
    case 'boolean':
      return typeof draft === 'boolean' ? draft : false;
    case 'object':
      return buildObject(schema, isObject(draft) ? (draft as DraftObject) : {}, path, errors);
    case 'enum-array':
    case 'string-array': {
      const items = Array.isArray(draft) ? draft : [];
      if (
        items.length === 0 &&
        required &&
        typeof schema.minItems === 'number' &&
        schema.minItems > 0
      )
        return missing();
      if (typeof schema.minItems === 'number' && items.length < schema.minItems)
        errors[path] = `At least ${schema.minItems} item(s)`;
      if (typeof schema.maxItems === 'number' && items.length > schema.maxItems)
        errors[path] = `At most ${schema.maxItems} item(s)`;
      const itemSchema = isObject(schema.items) ? resolveSchema(schema.items) : {};
      if (itemSchema.type === 'number' || itemSchema.type === 'integer') {
        const numbers = items.map(Number);
        if (numbers.some(n => Number.isNaN(n))) errors[path] = 'Every item must be a number';
        return numbers;
      }
      if (items.length === 0 && !required) return undefined;
      return items;
    }
    case 'number':
    case 'integer': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      if (!text) return missing();
      const n = Number(text);
      if (Number.isNaN(n)) errors[path] = 'Must be a number';
      else if (kind === 'integer' && !Number.isInteger(n)) errors[path] = 'Must be a whole number';
      else if (typeof schema.minimum === 'number' && n < schema.minimum)
        errors[path] = `Must be ≥ ${schema.minimum}`;
      else if (typeof schema.maximum === 'number' && n > schema.maximum)
        errors[path] = `Must be ≤ ${schema.maximum}`;
      return n;
    }
    case 'json': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      if (!text) return missing();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        errors[path] = 'Must be valid JSON';
        return undefined;
      }
    }
    default: {
      // string and enum
      const text = typeof draft === 'string' ? draft : '';
      if (text === '') return missing();
      if (kind === 'string') {
        if (typeof schema.minLength === 'number' && text.length < schema.minLength)
          errors[path] = `At least ${schema.minLength} characters`;
        else if (typeof schema.maxLength === 'number' && text.length > schema.maxLength)
          errors[path] = `At most ${schema.maxLength} characters`;
        else if (typeof schema.pattern === 'string' && !safeRegExp(schema.pattern)?.test(text)) {
          // The description usually says the format in words; the raw regex is the fallback.
          errors[path] =
            typeof schema.description === 'string'
              ? `Invalid format. ${schema.description}`
              : `Must match ${schema.pattern}`;
        }
        if (schema.format === 'date-time') {
          // datetime-local inputs give local time without zone; the API wants ISO-8601.
          const time = new Date(text);
          if (Number.isNaN(time.getTime())) errors[path] = 'Must be a date and time';
          else return time.toISOString();
        }
      }
      return text;
    }
  }
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}
