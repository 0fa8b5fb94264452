import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { secretBoxServiceRef } from '@racine/kernel-node';
import { AccountStore } from '../database/AccountStore';
import { userRef } from '../database/PolicyStore';
import { rbacDatabaseServiceRef } from '../database/rbacDatabase';
import { racinePolicyEngineServiceRef } from '../policy/policyEngineService';
import type { RacinePolicyEngine } from '../policy/RacinePolicyEngine';
import { AccountService, DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from './AccountService';
import { ApiKeyService } from './ApiKeyService';

export function readAccountSettings(config: Config): AccountSettings {
  const d = DEFAULT_ACCOUNT_SETTINGS;
  return {
    minPasswordLength:
      config.getOptionalNumber('racine.auth.passwordPolicy.minLength') ?? d.minPasswordLength,
    scryptCost: config.getOptionalNumber('racine.auth.passwordHashing.cost') ?? d.scryptCost,
    maxFailedAttempts:
      config.getOptionalNumber('racine.auth.lockout.maxAttempts') ?? d.maxFailedAttempts,
    lockoutMinutes: config.getOptionalNumber('racine.auth.lockout.minutes') ?? d.lockoutMinutes,
    sessionHours: config.getOptionalNumber('racine.auth.sessionHours') ?? d.sessionHours,
    totpIssuer: config.getOptionalString('app.title') ?? d.totpIssuer,
  };
}

/**
 * `racine.auth.bootstrapAdmin` ({username, password}, normally from environment variables):
 * on a start where no stored grant makes anyone platform-admin everywhere, creates the
 * account (if missing) and grants it platform-admin in every workspace.
 */
export async function ensureBootstrapAdmin(options: {
  config: Config;
  accounts: AccountService;
  engine: RacinePolicyEngine;
  logger: LoggerService;
}) {
  const { config, accounts, engine, logger } = options;
  const bootstrap = config.getOptionalConfig('racine.auth.bootstrapAdmin');
  const username = bootstrap?.getOptionalString('username');
  const password = bootstrap?.getOptionalString('password');
  if (!username || !password) return;
  const admins = (await engine.store.listGrants({ role: 'platform-admin', workspace: '*' })).filter(
    g => g.effect === 'allow' && g.resource === '*' && !g.expiresAt,
  );
  if (admins.length > 0) return;
  if (!(await accounts.find(username))) {
    await accounts.create({ username, password, displayName: 'Administrator' });
  }
  await engine.store.mutate(trx =>
    engine.store.createGrant(trx, {
      subject: userRef(username),
      role: 'platform-admin',
      workspace: '*',
      resource: '*',
      effect: 'allow',
      source: 'bootstrap',
      createdBy: 'racine.auth.bootstrapAdmin',
      reason: 'First administrator, from racine.auth.bootstrapAdmin',
    }),
  );
  await engine.reload();
  logger.info(`Created the first administrator '${username}' from racine.auth.bootstrapAdmin`);
}

/** Native accounts of this process (root: the auth module and the rbac plugin share it). */
export const accountServiceRef = createServiceRef<AccountService>({
  id: 'racine.rbac.accounts',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        db: rbacDatabaseServiceRef,
        secrets: secretBoxServiceRef,
        engine: racinePolicyEngineServiceRef,
        logger: coreServices.rootLogger,
      },
      async factory({ config, db, secrets, engine, logger }) {
        const accounts = new AccountService(
          new AccountStore(db.knex),
          engine.store,
          secrets,
          readAccountSettings(config),
          () => engine.reload(),
        );
        await ensureBootstrapAdmin({
          config,
          accounts,
          engine,
          logger: logger.child({ plugin: 'rbac' }),
        });
        return accounts;
      },
    }),
});

/** Personal API keys of this process (root: every plugin's httpAuth checks them). */
export const apiKeyServiceRef = createServiceRef<ApiKeyService>({
  id: 'racine.rbac.api-keys',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { db: rbacDatabaseServiceRef },
      factory: ({ db }) => new ApiKeyService(new AccountStore(db.knex)),
    }),
});
