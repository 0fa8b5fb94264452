/**
 * Frontend contracts of the Racine kernel: the typed kernel API client, hooks over it,
 * a helper to call a plugin's own routes with auth, and the action form components.
 */
export { racineKernelApiRef } from './api/RacineKernelApi';
export type { RacineKernelApi, KernelEvent } from './api/RacineKernelApi';
export { RacineKernelClient } from './api/RacineKernelClient';
export { RacineHttpClient, toQueryString } from './api/RacineHttpClient';
export type { QueryParams, RequestOptions } from './api/RacineHttpClient';
export { RacineApiError, errorMessage } from './api/errors';
export type * from './api/types';
export { kernelPlugin, racineKernelApi } from './plugin';
export { useAsyncResource } from './hooks/useAsyncResource';
export type { AsyncResource } from './hooks/useAsyncResource';
export {
  useActions,
  useCurrentWorkspace,
  useMe,
  useNavigation,
  usePluginClient,
  useSearch,
  useWorkspaces,
} from './hooks/kernelHooks';
export type { SearchState } from './hooks/kernelHooks';
export { JsonSchemaForm } from './components/JsonSchemaForm';
export type { JsonSchemaFormProps } from './components/JsonSchemaForm';
export { ActionRunner } from './components/ActionRunner';
export type { ActionRunnerProps } from './components/ActionRunner';
export { ActionButton } from './components/ActionDialog';
export type { ActionButtonProps } from './components/ActionDialog';
export { buildInput, initialDraft } from './components/jsonSchema';
export type { BuildResult, DraftObject, DraftValue } from './components/jsonSchema';
export { SectionTabs } from './components/SectionTabs';
export type { SectionTabsProps } from './components/SectionTabs';
