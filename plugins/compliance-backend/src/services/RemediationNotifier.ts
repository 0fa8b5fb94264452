import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import type { ComplianceStore, OpenedFinding } from '../database/ComplianceStore';

const EVENT_CHUNK = 500;

/** The entity ref a finding's owner is notified as (catalog owners may be bare user names). */
export function ownerRef(owner: string): string {
  return owner.includes(':') ? owner : `user:default/${owner}`;
}

/**
 * When evaluations open findings: each becomes a remediation task of its owner, who gets an
 * in-app notification (once per opening), and `finding.opened` is published for other groups.
 */
export class RemediationNotifier {
  constructor(
    private readonly deps: {
      store: ComplianceStore;
      events?: Pick<EventsService, 'publish'>;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async opened(findings: OpenedFinding[]): Promise<void> {
    if (findings.length === 0) return;
    const now = (this.deps.now?.() ?? new Date()).toISOString();
    await this.deps.store.addNotifications(
      findings
        .filter(f => f.owner)
        .map(f => ({
          recipient: ownerRef(f.owner!),
          dedupeKey: `finding:${f.id}:${f.dueAt}`,
          findingId: f.id,
          title: `New ${f.severity} compliance finding: ${f.ruleId}`,
          message: `${f.assetName} fails ${f.ruleId}; fix it by ${f.dueAt.slice(0, 10)}`,
        })),
      now,
    );
    if (!this.deps.events) return;
    for (let i = 0; i < findings.length; i += EVENT_CHUNK) {
      try {
        await this.deps.events.publish({
          topic: eventTopics.findingOpened,
          eventPayload: { findings: findings.slice(i, i + EVENT_CHUNK) },
        });
      } catch (error) {
        // The findings are stored; a lost announcement must not fail the evaluation.
        this.deps.logger.warn(`Could not publish ${eventTopics.findingOpened}: ${String(error)}`);
      }
    }
  }
}
