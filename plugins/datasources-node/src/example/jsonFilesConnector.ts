import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  type ColumnProfile,
  type ColumnTypeCategory,
  compileDiscoveryFilter,
  type Connector,
  type ConnectorSession,
  datasourcesConnectorExtensionPoint,
  type DiscoveredTable,
  type DiscoverOptions,
  type Discovery,
  MAX_SAMPLE_ROWS,
  type SampleResult,
  type SampleStrategy,
  type SampleValue,
  type TableRef,
  testConnectionWith,
  UnknownColumnError,
  UnknownTableError,
} from '@racine/plugin-datasources-node';
import { z } from 'zod';

// 1. The configuration, as a zod object schema. Descriptions become form labels in the UI.
const configSchema = z.object({
  directory: z
    .string()
    .min(1)
    .describe('Directory holding one JSON file (an array of objects) per table'),
});
type JsonFilesConfig = z.output<typeof configSchema>;

type Row = Record<string, unknown>;
const SCHEMA = 'files';

function categoryOf(values: unknown[]): ColumnTypeCategory {
  const types = new Set(values.filter(v => v !== null && v !== undefined).map(v => typeof v));
  if (types.size !== 1) return types.size === 0 ? 'other' : 'string';
  const [type] = types;
  if (type === 'number')
    return values.every(v => v == null || Number.isInteger(v)) ? 'integer' : 'float';
  return type === 'boolean' ? 'boolean' : type === 'object' ? 'json' : 'string';
}

function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const asText = (value: unknown): SampleValue =>
  value === null || value === undefined
    ? null
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

// 2. The session: everything a scan calls. This source is a directory, so "connecting" checks it.
class JsonFilesSession implements ConnectorSession {
  readonly serverVersion = `node ${process.version}`;

  constructor(
    private readonly directory: string,
    private readonly maxValueLength: number,
  ) {}

  async listDatabases(): Promise<string[]> {
    return [this.directory];
  }

  async discover(options: DiscoverOptions = {}): Promise<Discovery> {
    const filter = compileDiscoveryFilter(options);
    const files = (await readdir(this.directory)).filter(f => f.endsWith('.json')).sort();
    const tables: DiscoveredTable[] = [];
    for (const file of files) {
      const name = file.slice(0, -'.json'.length);
      if (!filter.schema(SCHEMA) || !filter.table({ schema: SCHEMA, name })) continue;
      const rows = await this.rows({ schema: SCHEMA, name });
      const columnNames = [...new Set(rows.flatMap(row => Object.keys(row)))];
      tables.push({
        schema: SCHEMA,
        name,
        kind: 'table',
        comment: null,
        rowEstimate: rows.length,
        definition: null,
        columns: columnNames.map((column, index) => ({
          name: column,
          ordinal: index + 1,
          dataType: 'json',
          typeCategory: categoryOf(rows.map(row => row[column])),
          nullable: rows.some(row => row[column] === null || row[column] === undefined),
          defaultValue: null,
          comment: null,
        })),
        primaryKey: null,
        foreignKeys: [],
        partitioning: null,
        partitionOf: null,
      });
    }
    return {
      connectorType: 'json-files',
      serverVersion: this.serverVersion,
      database: this.directory,
      databases: [this.directory],
      schemas: filter.schema(SCHEMA) ? [{ name: SCHEMA, comment: null, tables }] : [],
      discoveredAt: new Date().toISOString(),
    };
  }

  async sample(
    table: TableRef,
    columns: readonly string[],
    n: number,
    strategy: SampleStrategy = 'first',
  ): Promise<SampleResult> {
    const rows = await this.rows(table);
    const names = columns.length
      ? [...columns]
      : [...new Set(rows.flatMap(row => Object.keys(row)))];
    for (const column of names) {
      if (!rows.some(row => column in row)) throw new UnknownColumnError(table, column);
    }
    const picked = strategy === 'random' ? shuffle(rows) : rows;
    let truncatedValues = 0;
    const sampled = picked.slice(0, Math.min(n, MAX_SAMPLE_ROWS)).map(row =>
      names.map(column => {
        const text = asText(row[column]);
        if (text === null || text.length <= this.maxValueLength) return text;
        truncatedValues++;
        return text.slice(0, this.maxValueLength);
      }),
    );
    const method = strategy === 'random' ? 'order_by_random' : 'first';
    return { columns: names, rows: sampled, strategy, method, truncatedValues };
  }

  async profile(table: TableRef, column: string): Promise<ColumnProfile> {
    const rows = await this.rows(table);
    if (!rows.some(row => column in row)) throw new UnknownColumnError(table, column);
    const values = rows.map(row => asText(row[column])).filter((v): v is string => v !== null);
    const lengths = values.map(v => v.length);
    const sorted = [...values].sort();
    return {
      column,
      rowCount: rows.length,
      nullCount: rows.length - values.length,
      distinctCount: new Set(values).size,
      min: sorted[0] ?? null,
      max: sorted.at(-1) ?? null,
      minLength: lengths.length ? Math.min(...lengths) : null,
      maxLength: lengths.length ? Math.max(...lengths) : null,
      avgLength: lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : null,
      limitedToRows: null,
    };
  }

  // Cheap: the file's size and modification time, without reading it.
  async fingerprint(table: TableRef): Promise<string> {
    const info = await stat(this.file(table)).catch(() => {
      throw new UnknownTableError(table);
    });
    return `json1:${info.size}:${info.mtimeMs}`;
  }

  async close(): Promise<void> {}

  private file(table: TableRef): string {
    // Table names come from the directory listing; refuse anything that could leave it.
    if (table.schema !== SCHEMA || /[/\\]/.test(table.name) || table.name.startsWith('.')) {
      throw new UnknownTableError(table);
    }
    return join(this.directory, `${table.name}.json`);
  }

  private async rows(table: TableRef): Promise<Row[]> {
    const text = await readFile(this.file(table), 'utf8').catch(() => {
      throw new UnknownTableError(table);
    });
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error(`${table.name}.json does not hold an array`);
    return parsed.filter((row): row is Row => typeof row === 'object' && row !== null);
  }
}

async function connect(config: JsonFilesConfig, options?: { maxValueLength?: number }) {
  const info = await stat(config.directory); // rejects with ENOENT for a wrong path
  if (!info.isDirectory()) throw new Error(`${config.directory} is not a directory`);
  return new JsonFilesSession(config.directory, options?.maxValueLength ?? 1024);
}

// 3. The connector: metadata, config schema, secret fields, and the two entry points.
export const jsonFilesConnector: Connector<JsonFilesConfig> = {
  type: 'json-files',
  title: 'JSON files',
  description: 'A directory of JSON files, one table per file.',
  configSchema,
  secretFields: [],
  connect,
  testConnection: (config, options) => testConnectionWith(() => connect(config, options)),
};

// 4. The backend module that registers it with the datasources plugin.
export const jsonFilesConnectorModule = createBackendModule({
  pluginId: 'datasources',
  moduleId: 'json-files-connector',
  register(env) {
    env.registerInit({
      deps: { connectors: datasourcesConnectorExtensionPoint },
      async init({ connectors }) {
        connectors.addConnector(jsonFilesConnector);
      },
    });
  },
});
