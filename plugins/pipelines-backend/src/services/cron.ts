import { InputError } from '@backstage/errors';
import { CronExpressionParser } from 'cron-parser';

/** Throws an InputError naming the field when the time zone is not an IANA zone. */
export function validateTimezone(timezone: string, field = 'schedule.timezone'): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InputError(
      `Invalid job: ${field}: '${timezone}' is not an IANA time zone (e.g. Europe/Paris)`,
    );
  }
}

/**
 * The first time strictly after `after` at which a cron expression fires in a time zone,
 * parsed by cron-parser (5 fields, or 6 with seconds; ranges, steps, names, `L`, `#`).
 */
export function nextCronTime(cron: string, timezone: string, after: Date): Date {
  validateTimezone(timezone);
  let expression;
  try {
    expression = CronExpressionParser.parse(cron, { currentDate: after, tz: timezone });
  } catch (error) {
    throw new InputError(`Invalid job: schedule.cron: ${(error as Error).message}`);
  }
  return expression.next().toDate();
}
