export { platformPlugin as default, platformPlugin } from './plugin';
