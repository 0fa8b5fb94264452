export { platformPlugin } from './plugin';
export type { PlatformHealth } from './api/types';
