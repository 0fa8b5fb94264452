/**
 * @racine/plugin-classifications-backend: the classifier library, custom rules, the engine
 * configuration scans build their engine from, and the review of labels.
 */
export { classificationsPlugin as default } from './plugin';
export { createClassificationsRouter } from './router';
