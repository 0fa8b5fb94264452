export { kernelPlugin as default, kernelPlugin } from './plugin';
export { ActionInvoker } from './ActionInvoker';
