import { z } from 'zod';
import type {
  ColumnProfile,
  ConnectOptions,
  ConnectionTestResult,
  DiscoverOptions,
  Discovery,
  ProfileOptions,
  SampleResult,
  SampleStrategy,
  TableRef,
} from './types.js';

/**
 * An open connection (usually a small pool) to one data source. A scan opens one session, runs
 * many calls on it and closes it, so connection setup and session settings (read-only,
 * statement timeout) are paid once per scan rather than once per call.
 *
 * Every method is read-only. Identifiers passed in (`TableRef`, column names) come from the
 * scanned database and may contain any character: implementations must quote them.
 */
export interface ConnectorSession {
  /** Version string reported by the server when the session was opened. */
  readonly serverVersion: string;
  /** Every database (catalog) visible on the server. */
  listDatabases(): Promise<string[]>;
  discover(options?: DiscoverOptions): Promise<Discovery>;
  /**
   * Up to `n` rows (capped at `MAX_SAMPLE_ROWS`) of `columns` (all columns when empty).
   * Throws `UnknownTableError` / `UnknownColumnError` for names that do not exist.
   */
  sample(
    table: TableRef,
    columns: readonly string[],
    n: number,
    strategy?: SampleStrategy,
  ): Promise<SampleResult>;
  /** Aggregate statistics of one column, computed by the engine. */
  profile(table: TableRef, column: string, options?: ProfileOptions): Promise<ColumnProfile>;
  /**
   * A cheap opaque string that changes when the table's structure or data likely changed, so a
   * scanner can skip unchanged tables. Equal strings mean "probably unchanged", never a guarantee.
   */
  fingerprint(table: TableRef): Promise<string>;
  /**
   * Optional batch form of `fingerprint`: the fingerprints of many tables in a few queries (the
   * built-in connectors read one catalog query per batch), aligned with `tables`; `null` for a
   * table that does not exist. Each string must equal what `fingerprint` returns for the table, as
   * scanners compare values produced by either method. Scanners fall back to calling
   * `fingerprint` once per table when a session does not implement it (see `fingerprintTables`).
   */
  fingerprintMany?(tables: readonly TableRef[]): Promise<(string | null)[]>;
  /** Releases every connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * A kind of data source. Third parties implement this interface and register it through
 * `datasourcesConnectorExtensionPoint`. The connector itself is stateless; state lives in sessions.
 */
export interface Connector<TConfig extends object = Record<string, unknown>> {
  /** Stable identifier stored with every data source, e.g. `postgres`. */
  readonly type: string;
  readonly title: string;
  readonly description: string;
  /**
   * Zod object schema of the configuration. The UI renders it as a form through JSON Schema (see
   * `connectorConfigJsonSchema`), so give every field a `.describe()` text.
   */
  readonly configSchema: z.ZodType<TConfig>;
  /** Top-level config fields holding secrets: rendered as password inputs, redacted in logs and APIs. */
  readonly secretFields: readonly string[];
  /** Opens a session; rejects with the driver's error when the source cannot be reached. */
  connect(config: TConfig, options?: ConnectOptions): Promise<ConnectorSession>;
  /** Never throws: failures come back as `{ ok: false, error }` with the driver's message. */
  testConnection(config: TConfig, options?: ConnectOptions): Promise<ConnectionTestResult>;
}

/** A connector of any configuration type, as held by the registry. */
export type AnyConnector = Connector<Record<string, unknown>>;

/** Upper bound on `sample`'s `n`, whatever the caller asks, to bound memory. */
export const MAX_SAMPLE_ROWS = 10_000;

/** Base class of the errors connectors throw for caller mistakes (as opposed to driver errors). */
export class ConnectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnknownTableError extends ConnectorError {
  constructor(readonly table: TableRef) {
    super(`Table ${JSON.stringify(table.schema)}.${JSON.stringify(table.name)} does not exist`);
  }
}

export class UnknownColumnError extends ConnectorError {
  constructor(
    readonly table: TableRef,
    readonly column: string,
  ) {
    super(
      `Column ${JSON.stringify(column)} does not exist in ${JSON.stringify(table.schema)}.${JSON.stringify(table.name)}`,
    );
  }
}

/**
 * Human-readable message of a driver error. Node reports a refused connection to a host with
 * several addresses as an `AggregateError` with an empty message, so inner errors are unpacked.
 */
export function describeError(error: unknown): { message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    let message = error.message;
    if (!message && error instanceof AggregateError) {
      message = error.errors.map(inner => describeError(inner).message).join('; ');
    }
    return {
      message: message || error.name,
      ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    };
  }
  return { message: String(error) };
}

/**
 * Implements `Connector.testConnection` on top of `connect`: opens a session (which runs one query
 * to learn the server version), closes it, and reports the elapsed time or the driver's error.
 */
export async function testConnectionWith(
  connect: () => Promise<ConnectorSession>,
): Promise<ConnectionTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const session = await connect();
    const latencyMs = elapsed();
    await session.close();
    return { ok: true, latencyMs, serverVersion: session.serverVersion };
  } catch (error) {
    const { message, code } = describeError(error);
    return {
      ok: false,
      latencyMs: elapsed(),
      error: message,
      ...(code === undefined ? {} : { errorCode: code }),
    };
  }
}

/**
 * Fingerprints of many tables, aligned with `tables`: through the session's `fingerprintMany`
 * when it has one, otherwise `fingerprint` per table (at most `concurrency` at once), where an
 * `UnknownTableError` becomes `null`. Other errors reject.
 */
export async function fingerprintTables(
  session: ConnectorSession,
  tables: readonly TableRef[],
  concurrency = 4,
): Promise<(string | null)[]> {
  if (tables.length === 0) return [];
  if (session.fingerprintMany) {
    const fingerprints = await session.fingerprintMany(tables);
    if (fingerprints.length !== tables.length) {
      throw new Error(
        `fingerprintMany returned ${fingerprints.length} fingerprints for ${tables.length} tables`,
      );
    }
    return fingerprints;
  }
  const results = new Array<string | null>(tables.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < tables.length) {
      const i = next++;
      try {
        results[i] = await session.fingerprint(tables[i]!);
      } catch (error) {
        if (!(error instanceof UnknownTableError)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tables.length) }, worker));
  return results;
}

/** Runs `fn` with a fresh session and always closes it. */
export async function withSession<TConfig extends object, TResult>(
  connector: Connector<TConfig>,
  config: TConfig,
  fn: (session: ConnectorSession) => Promise<TResult>,
  options?: ConnectOptions,
): Promise<TResult> {
  const session = await connector.connect(config, options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/**
 * JSON Schema (draft 2020-12) of a connector's configuration, for rendering a form. Input mode,
 * so fields with defaults are optional; secret fields get `writeOnly: true` and `format: "password"`.
 */
export function connectorConfigJsonSchema<TConfig extends object>(
  connector: Connector<TConfig>,
): Record<string, unknown> {
  const schema = z.toJSONSchema(connector.configSchema, { io: 'input' }) as Record<string, unknown>;
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const field of connector.secretFields) {
    const property = properties?.[field];
    if (property) {
      property.writeOnly = true;
      property.format = 'password';
    }
  }
  return schema;
}

/** Placeholder written over secret values. */
export const REDACTED = '<redacted>';

/** A copy of `config` with every non-empty secret field replaced by `REDACTED`. */
export function redactConfig<TConfig extends object>(
  connector: Connector<TConfig>,
  config: TConfig,
): TConfig {
  const copy = { ...config } as Record<string, unknown>;
  for (const field of connector.secretFields) {
    if (copy[field] !== undefined && copy[field] !== null && copy[field] !== '') {
      copy[field] = REDACTED;
    }
  }
  return copy as TConfig;
}

/** What the UI needs to list connectors and render their configuration forms. */
export interface ConnectorDescription {
  type: string;
  title: string;
  description: string;
  configSchema: Record<string, unknown>;
  secretFields: string[];
}

export function describeConnector<TConfig extends object>(
  connector: Connector<TConfig>,
): ConnectorDescription {
  return {
    type: connector.type,
    title: connector.title,
    description: connector.description,
    configSchema: connectorConfigJsonSchema(connector),
    secretFields: [...connector.secretFields],
  };
}
