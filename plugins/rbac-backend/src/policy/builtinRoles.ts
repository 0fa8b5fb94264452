/** A role as config and the seed describe it: permission names, parents. */
export interface RoleDefinition {
  name: string;
  description: string;
  permissions: string[];
  inherits: string[];
}

/**
 * The built-in roles, seeded on first start and editable afterwards. Plugins add their
 * permissions to them through the default grants they register in the kernel registry.
 */
export const BUILTIN_ROLES: RoleDefinition[] = [
  {
    name: 'platform-admin',
    description: 'Everything, everywhere.',
    permissions: ['*'],
    inherits: [],
  },
  {
    name: 'viewer',
    description: 'Reads what is governed, changes nothing.',
    permissions: [],
    inherits: [],
  },
  {
    name: 'data-analyst',
    description: 'Finds and reads data assets.',
    permissions: [],
    inherits: ['viewer'],
  },
  {
    name: 'data-owner',
    description: 'Owns data sources and assets and curates them.',
    permissions: [],
    inherits: ['data-analyst'],
  },
  {
    name: 'data-steward',
    description: 'Runs scans, reviews classifications, curates the catalog.',
    permissions: [],
    inherits: ['data-owner'],
  },
  {
    name: 'compliance-officer',
    description: 'Runs compliance evaluations, approves waivers.',
    permissions: [],
    inherits: ['viewer'],
  },
  {
    name: 'auditor',
    description: 'Reads everything, including the activity trail.',
    permissions: ['activity.view'],
    inherits: ['viewer'],
  },
  {
    name: 'workspace-owner',
    description:
      "Manages a workspace's members and decides its access requests (grant it in that workspace).",
    permissions: ['workspace.manage'],
    inherits: [],
  },
];
