/**
 * An HTTP error from a Racine backend route, decoded from Backstage's error body
 * (`{ error: { name, message }, response: { statusCode } }`).
 */
export class RacineApiError extends Error {
  /** HTTP status code (400 bad input, 401 signed out, 403 denied, 404, 409 …). */
  readonly status: number;
  /** Backstage error name, e.g. `InputError` or `NotAllowedError`. */
  readonly errorName: string;

  constructor(status: number, errorName: string, message: string) {
    super(message);
    this.name = 'RacineApiError';
    this.status = status;
    this.errorName = errorName;
  }

  static async fromResponse(response: Response): Promise<RacineApiError> {
    let errorName = response.statusText || 'Error';
    let message = `Request failed with ${response.status} ${response.statusText}`.trim();
    const text = await response.text().catch(() => '');
    if (text) {
      try {
        const body = JSON.parse(text) as { error?: { name?: unknown; message?: unknown } };
        if (typeof body.error?.name === 'string') errorName = body.error.name;
        if (typeof body.error?.message === 'string') message = body.error.message;
      } catch {
        // Not a Backstage error body (e.g. a proxy's HTML page): keep the status line.
      }
    }
    return new RacineApiError(response.status, errorName, message);
  }
}

/** A readable message for anything thrown by the clients or by React code. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
