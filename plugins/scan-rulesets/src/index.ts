export { scanRulesetsPlugin } from './plugin';
