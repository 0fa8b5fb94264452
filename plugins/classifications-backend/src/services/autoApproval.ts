import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import type { AuditService } from '@racine/kernel-node';
import type { AssetChangedEventPayload } from '@racine/plugin-data-catalog-common';
import type { EngineConfigService } from './EngineConfigService';
import type { ReviewService } from './ReviewService';

const ACTOR = 'plugin:classifications';
const REFS_PER_CALL = 500;

/**
 * Automatic approval: when the catalog ingests labels (`asset.changed`, reason `ingested`),
 * suggested labels of the changed columns at or above the configured confidence, that no
 * person decided on, become approved. Off while `autoApproveConfidence` is null.
 */
export async function subscribeAutoApproval(deps: {
  events: EventsService;
  review: ReviewService;
  engineConfig: EngineConfigService;
  audit: AuditService;
  logger: LoggerService;
}): Promise<void> {
  await deps.events.subscribe({
    id: 'auto-approve-labels',
    topics: [eventTopics.assetChanged],
    async onEvent({ eventPayload }) {
      const payload = eventPayload as Partial<AssetChangedEventPayload>;
      if (payload.reason !== 'ingested' || !Array.isArray(payload.refs)) return;
      const refs = payload.refs.filter(
        (r): r is string => typeof r === 'string' && r.startsWith('racine:data-catalog:column/'),
      );
      if (refs.length === 0) return;
      const { autoApproveConfidence } = await deps.engineConfig.reviewSettings();
      if (autoApproveConfidence === null) return;
      try {
        for (let i = 0; i < refs.length; i += REFS_PER_CALL) {
          const approved = await deps.review.autoApprove(
            refs.slice(i, i + REFS_PER_CALL),
            autoApproveConfidence,
            ACTOR,
          );
          if (approved.length === 0) continue;
          const first = approved[0]!;
          await deps.audit.record({
            actor: ACTOR,
            verb: 'classification.label.autoApprove',
            workspace: first.workspace,
            resource:
              approved.length === 1
                ? first.assetRef
                : `racine:data-catalog:datasource/${first.dataSourceId}`,
            outcome: 'success',
            summary:
              approved.length === 1
                ? `Approved label ${first.classifierId} on ${first.qualifiedName} automatically (confidence ${first.confidence} ≥ ${autoApproveConfidence})`
                : `Approved ${approved.length} labels automatically (confidence ≥ ${autoApproveConfidence}), scan run ${payload.runId ?? 'unknown'}`,
            details: {
              minConfidence: autoApproveConfidence,
              labels: approved.slice(0, 200).map(l => ({
                assetRef: l.assetRef,
                classifierId: l.classifierId,
                confidence: l.confidence,
              })),
            },
          });
        }
      } catch (error) {
        // Labels stay suggested: stewards still see them in the queue.
        deps.logger.warn(`Automatic approval of labels failed: ${String(error)}`);
      }
    },
  });
}
