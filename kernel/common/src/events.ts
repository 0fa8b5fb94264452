/** Domain event topics, published through Backstage's events service. */
export const eventTopics = {
  workspaceCreated: 'racine.workspace.created',
  actionInvoked: 'racine.action.invoked',
  scanCompleted: 'scan.completed',
  assetChanged: 'asset.changed',
  classificationApplied: 'classification.applied',
  findingOpened: 'finding.opened',
} as const;
export type EventTopic = (typeof eventTopics)[keyof typeof eventTopics];
