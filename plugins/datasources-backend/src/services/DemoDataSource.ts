import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import type { DataSourceService } from './DataSourceService';
import { SAMPLE_RETAIL_FILE, writeSampleRetailDatabase } from './demo/sampleRetail';

export const DEMO_SOURCE_NAME = 'sample-retail';
const DEMO_MARKER = 'demo.sample-retail.registered';

/** Where embedded data lives: `racine.dataDir`, else RACINE_DATA_DIR, else ./data. */
export function racineDataDir(config: Config): string {
  return path.resolve(
    config.getOptionalString('racine.dataDir') ?? process.env.RACINE_DATA_DIR ?? 'data',
  );
}

export function demoDatabasePath(config: Config): string {
  return path.join(racineDataDir(config), SAMPLE_RETAIL_FILE);
}

export function isDemoEnabled(config: Config): boolean {
  return config.getOptionalBoolean('racine.datasources.demo.enabled') ?? true;
}

/**
 * The demo: writes `<dataDir>/sample-retail.sqlite` when it is missing (each replica has its
 * own data directory; the seeded generator makes every copy identical) and registers it as the
 * data source "sample-retail" once per installation. Failing here never stops the plugin.
 */
export async function ensureDemoDataSource(options: {
  config: Config;
  service: DataSourceService;
  logger: LoggerService;
}): Promise<void> {
  const { config, service, logger } = options;
  if (!isDemoEnabled(config)) return;
  const file = demoDatabasePath(config);
  try {
    if (writeSampleRetailDatabase(file)) logger.info(`Created the demo database ${file}`);
    const registered = await service.createOnce(
      DEMO_MARKER,
      {
        name: DEMO_SOURCE_NAME,
        type: 'sqlite',
        config: { path: file },
        description:
          'Demo online retailer: customers, orders, payments and employees with synthetic personal data (names, emails, phones, addresses, card numbers, IBANs, SSNs, salaries).',
        environment: 'dev',
        owner: '',
        tags: ['demo'],
        workspace: DEFAULT_WORKSPACE,
      },
      'plugin:datasources',
    );
    if (registered) logger.info(`Registered the demo data source '${DEMO_SOURCE_NAME}'`);
  } catch (error) {
    logger.warn(
      `Could not set up the demo data source: ${isError(error) ? error.message : String(error)}`,
    );
  }
}
