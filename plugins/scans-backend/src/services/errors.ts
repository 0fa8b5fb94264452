/** A failure that may go away on its own (network, restart, overload): worth a retry. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** A table ran past its rule set's `tableTimeoutSeconds`. */
export class TableTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`Timed out after ${seconds} s`);
    this.name = 'TableTimeoutError';
  }
}

/** The run was canceled while a task of it was working. */
export class RunCanceledError extends Error {
  constructor() {
    super('The run was canceled');
    this.name = 'RunCanceledError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  // PostgreSQL: admin/crash shutdown, cannot connect now, serialization failure, deadlock.
  '57P01',
  '57P02',
  '57P03',
  '40001',
  '40P01',
  // MySQL / MariaDB
  'PROTOCOL_CONNECTION_LOST',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  // SQLite
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

const TRANSIENT_MESSAGE =
  /connection terminated|terminating connection|connection (?:was )?(?:closed|reset|refused)|socket hang up|timeout exceeded when trying to connect|fetch failed|too many (?:clients|connections)/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/**
 * Whether an error is worth retrying. PostgreSQL SQLSTATE classes 08 (connection exception)
 * and 53 (insufficient resources) are; a statement timeout (57014) is not, since it is how
 * the per-table timeout is enforced on the server.
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || error === undefined) return false;
  if (error instanceof TransientError) return true;
  if (error instanceof TableTimeoutError || error instanceof RunCanceledError) return false;
  const code = codeOf(error);
  if (code && (TRANSIENT_CODES.has(code) || /^(08|53)[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof Error && TRANSIENT_MESSAGE.test(error.message)) return true;
  if (error instanceof AggregateError)
    return error.errors.some(inner => isTransientError(inner, depth + 1));
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && isTransientError(cause, depth + 1);
}

/** A one-line message for logs and the API, never carrying sampled values. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    let message = error.message || error.name;
    if (!message && error instanceof AggregateError) {
      message = error.errors.map(errorText).join('; ');
    }
    const code = codeOf(error);
    const text = code && !message.includes(code) ? `${message} (${code})` : message;
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  }
  return String(error);
}
