import { InputError } from '@backstage/errors';
import { CronExpressionParser } from 'cron-parser';

/** Throws an InputError naming the field when the time zone is not an IANA zone. */
export function validateTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InputError(
      `Invalid schedule: timezone: '${timezone}' is not an IANA time zone (e.g. Europe/Paris)`,
    );
  }
}

/**
 * The first time strictly after `after` at which a cron expression fires in a time zone.
 * Parsed by cron-parser (5 fields, or 6 with seconds; `L`, `#`, ranges, steps, names).
 */
export function nextCronTime(cron: string, timezone: string, after: Date): Date {
  validateTimezone(timezone);
  let expression;
  try {
    expression = CronExpressionParser.parse(cron, { currentDate: after, tz: timezone });
  } catch (error) {
    throw new InputError(`Invalid schedule: cron: ${(error as Error).message}`);
  }
  return expression.next().toDate();
}
