export { kernelPlugin as default, kernelPlugin } from './plugin';
