/** Where the plugin's page is mounted (the kernel's nav item links here too). */
export const RULE_SETS_PATH = '/scan-rulesets';

export function ruleSetPath(id: string): string {
  return `${RULE_SETS_PATH}/${encodeURIComponent(id)}`;
}
