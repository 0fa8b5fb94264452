import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/** Describes zod issues as `field: message; other.field: message` for a 400 response. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(issue => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}

/** Parses untrusted input, throwing an InputError (400) that names every bad field. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what = 'input',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(`Invalid ${what}: ${describeIssues(result.error)}`);
  }
  return result.data;
}
