export { scansPlugin } from './plugin';
