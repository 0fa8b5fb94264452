import fs from 'node:fs';
import path from 'node:path';
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import express from 'express';
import { GROUPS } from './groups';

/**
 * Serves the built shell (packages/app/dist) and the frontend's config from the same port as
 * the API. Backstage routes every non-/api request to the `app` plugin's router.
 */
export const appServerPlugin = createBackendPlugin({
  pluginId: 'app',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ httpRouter, config, logger }) {
        const distDir = path.resolve(
          config.getOptionalString('racine.app.distDir') ??
            path.join(import.meta.dirname, '../../app/dist'),
        );
        const frontendConfig = {
          app: {
            title: config.getOptionalString('app.title') ?? 'Racine',
            baseUrl: config.getOptionalString('app.baseUrl') ?? '',
          },
          backend: { baseUrl: config.getOptionalString('backend.baseUrl') ?? '' },
          auth: {
            environment: config.getOptionalString('auth.environment') ?? 'development',
            providers: config.getOptionalConfig('auth.providers')?.keys() ?? [],
          },
          racine: {
            groups: Object.fromEntries(
              GROUPS.map(g => [
                g.id,
                { enabled: config.getOptionalBoolean(`racine.groups.${g.id}.enabled`) ?? true },
              ]),
            ),
          },
        };

        const router = express.Router();
        router.get('/racine/frontend-config.json', (_req, res) => {
          res.set('Cache-Control', 'no-store').json(frontendConfig);
        });
        const index = path.join(distDir, 'index.html');
        if (fs.existsSync(index)) {
          router.use(express.static(distDir, { index: false, maxAge: '1h' }));
          // Client-side routes: every other GET gets the shell.
          router.get('*', (_req, res) => {
            res.set('Cache-Control', 'no-cache').sendFile(index);
          });
        } else {
          logger.warn(`No built app at ${distDir}; run 'npm run build'. Serving the API only.`);
        }
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});
