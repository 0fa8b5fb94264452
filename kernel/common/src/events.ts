/** Domain event topics, published through Backstage's events service. */
export const eventTopics = {
  workspaceCreated: 'racine.workspace.created',
  actionInvoked: 'racine.action.invoked',
  scanCompleted: 'scan.completed',
  assetChanged: 'asset.changed',
  classificationApplied: 'classification.applied',
  findingOpened: 'finding.opened',
  /** A data source was deleted; payload `DataSourceDeletedEventPayload`. */
  dataSourceDeleted: 'datasource.deleted',
} as const;
export type EventTopic = (typeof eventTopics)[keyof typeof eventTopics];

/** Payload of `datasource.deleted`, published once the data source is gone. */
export interface DataSourceDeletedEventPayload {
  dataSourceId: string;
  name: string;
  workspace: string;
  /** Who deleted it (an entity ref, or a service subject). */
  deletedBy: string;
}
