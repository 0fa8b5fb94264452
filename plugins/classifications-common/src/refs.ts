/** The plugin id of the classifications group (routes at `/api/classifications`). */
export const CLASSIFICATIONS_PLUGIN_ID = 'classifications';

/** Resource ref of a custom rule: `racine:classifications:rule/<id>`. */
export function customRuleRef(id: string): string {
  return `racine:${CLASSIFICATIONS_PLUGIN_ID}:rule/${id}`;
}

/** Resource ref of a classifier of the library: `racine:classifications:classifier/<id>`. */
export function classifierRef(id: string): string {
  return `racine:${CLASSIFICATIONS_PLUGIN_ID}:classifier/${id}`;
}

/** Resource ref of the plugin's settings (auto-approval). */
export const SETTINGS_REF = `racine:${CLASSIFICATIONS_PLUGIN_ID}:settings/review`;

/** App paths of the plugin's pages. */
export const classificationPaths = {
  root: '/classifications',
  library: '/classifications/library',
  classifier: (id: string) => `/classifications/library/${encodeURIComponent(id)}`,
  rules: '/classifications/rules',
  rule: (id: string) => `/classifications/rules/${encodeURIComponent(id)}`,
  newRule: '/classifications/rules/new',
  review: '/classifications/review',
  accuracy: '/classifications/accuracy',
} as const;
