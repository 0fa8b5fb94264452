import { createFrontendFeatureLoader, FrontendFeature } from '@backstage/frontend-plugin-api';
import { datasourcesPlugin } from '@racine/plugin-datasources';
import { platformPlugin } from '@racine/plugin-platform';
import { scanRulesetsPlugin } from '@racine/plugin-scan-rulesets';
import { scansPlugin } from '@racine/plugin-scans';
import { classificationsPlugin } from '@racine/plugin-classifications';
import { compliancePlugin } from '@racine/plugin-compliance';
import { dataCatalogPlugin } from '@racine/plugin-data-catalog';
import { rbacPlugin } from '@racine/plugin-rbac';
import { pipelinesPlugin } from '@racine/plugin-pipelines';

/**
 * Frontend plugins of each governance group, by group id. A group switched off in
 * app-config (`racine.groups.<id>.enabled: false`) is not installed at all, so its pages
 * and routes do not exist (they 404), matching the backend, which drops its routes too.
 */
export const groupFrontendPlugins: Record<string, FrontendFeature[]> = {
  platform: [platformPlugin],
  datasources: [datasourcesPlugin],
  'scan-rulesets': [scanRulesetsPlugin],
  scans: [scansPlugin],
  classifications: [classificationsPlugin],
  compliance: [compliancePlugin],
  'data-catalog': [dataCatalogPlugin],
  rbac: [rbacPlugin],
  pipelines: [pipelinesPlugin],
};

export function enabledGroupIds(isEnabled: (groupId: string) => boolean | undefined): string[] {
  // A group the config does not mention is on: switching off is the explicit act.
  return Object.keys(groupFrontendPlugins).filter(id => isEnabled(id) !== false);
}

export const racineGroupFeatures = createFrontendFeatureLoader({
  loader({ config }) {
    return enabledGroupIds(id => config.getOptionalBoolean(`racine.groups.${id}.enabled`)).flatMap(
      id => groupFrontendPlugins[id] ?? [],
    );
  },
});
