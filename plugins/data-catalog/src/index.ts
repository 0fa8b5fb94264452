export { dataCatalogPlugin } from './plugin';
