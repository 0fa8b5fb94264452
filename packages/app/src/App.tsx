import { createApp } from '@backstage/frontend-defaults';
import { kernelPlugin } from '@racine/kernel-react';
import { appModuleRacineShell } from './appModule';
import { loadFrontendConfig } from './config';
import { racineGroupFeatures } from './groups';

/**
 * The Racine app: Backstage's default app plugin customized by the shell module, the
 * kernel's frontend (API client), and the frontend plugins of the enabled groups.
 */
export const app = createApp({
  features: [kernelPlugin, appModuleRacineShell, racineGroupFeatures],
  advanced: { configLoader: loadFrontendConfig },
});
