import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { racineKernelApiRef } from './api/RacineKernelApi';
import { RacineKernelClient } from './api/RacineKernelClient';

/** Provides `racineKernelApiRef` using Backstage's discovery and (token-injecting) fetch APIs. */
export const racineKernelApi = ApiBlueprint.make({
  name: 'client',
  params: defineParams =>
    defineParams({
      api: racineKernelApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new RacineKernelClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The frontend half of the kernel: it only provides the kernel API. The shell and every
 * group plugin depend on it; pages live in the shell and in the group plugins.
 */
export const kernelPlugin = createFrontendPlugin({
  pluginId: 'kernel',
  title: 'Kernel',
  extensions: [racineKernelApi],
});
