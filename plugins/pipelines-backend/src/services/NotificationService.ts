import crypto from 'node:crypto';
import type { PipelineNotification } from '@racine/plugin-pipelines-common';
import type { Knex } from 'knex';
import type { OutboundHttp } from './OutboundHttp';

/** One notification to deliver (a queue job payload). */
export interface NotificationDelivery {
  channel: 'inApp' | 'webhook';
  /** A user entity ref (inApp) or a URL (webhook). */
  to: string;
  /** Makes a re-delivered notification a no-op (in-app). */
  dedupeKey: string;
  workspace: string;
  jobId: string | null;
  runId: string | null;
  title: string;
  message: string;
  /** The JSON a webhook receives. */
  payload: Record<string, unknown>;
}

/** The interface of the in-app notification table. */
export interface NotificationStore {
  insert(
    n: Omit<PipelineNotification, 'id' | 'createdAt' | 'readAt'> & {
      dedupeKey: string;
      workspace: string;
    },
  ): Promise<void>;
  list(
    recipient: string,
    options: { unreadOnly: boolean; limit: number },
  ): Promise<PipelineNotification[]>;
  markRead(recipient: string, id: string): Promise<boolean>;
}

type Row = {
  id: string;
  recipient: string;
  dedupe_key: string;
  workspace: string;
  job_id: string | null;
  run_id: string | null;
  title: string;
  message: string;
  created_at: string | number;
  read_at: string | number | null;
};

export class KnexNotificationStore implements NotificationStore {
  constructor(private readonly knex: Knex) {}

  async insert(
    n: Omit<PipelineNotification, 'id' | 'createdAt' | 'readAt'> & {
      dedupeKey: string;
      workspace: string;
    },
  ) {
    await this.knex('pipelines_notifications')
      .insert({
        id: crypto.randomUUID(),
        recipient: n.recipient,
        dedupe_key: n.dedupeKey,
        workspace: n.workspace,
        job_id: n.jobId,
        run_id: n.runId,
        title: n.title,
        message: n.message,
        created_at: Date.now(),
        read_at: null,
      })
      .onConflict('dedupe_key')
      .ignore();
  }

  async list(recipient: string, options: { unreadOnly: boolean; limit: number }) {
    const query = this.knex<Row>('pipelines_notifications').where({ recipient });
    if (options.unreadOnly) query.whereNull('read_at');
    const rows = (await query.orderBy('created_at', 'desc').limit(options.limit)) as Row[];
    return rows.map((r): PipelineNotification => ({
      id: r.id,
      recipient: r.recipient,
      title: r.title,
      message: r.message,
      jobId: r.job_id,
      runId: r.run_id,
      createdAt: new Date(Number(r.created_at)).toISOString(),
      readAt: r.read_at === null ? null : new Date(Number(r.read_at)).toISOString(),
    }));
  }

  async markRead(recipient: string, id: string) {
    const updated = await this.knex('pipelines_notifications')
      .where({ id, recipient })
      .whereNull('read_at')
      .update({ read_at: Date.now() });
    return updated > 0;
  }
}

/** Delivers notifications: rows in the in-app table, or a JSON POST to an allowed webhook. */
export class NotificationService {
  constructor(
    readonly store: NotificationStore,
    private readonly http: OutboundHttp,
  ) {}

  async deliver(delivery: NotificationDelivery): Promise<void> {
    if (delivery.channel === 'inApp') {
      await this.store.insert({
        recipient: delivery.to,
        dedupeKey: delivery.dedupeKey,
        workspace: delivery.workspace,
        jobId: delivery.jobId,
        runId: delivery.runId,
        title: delivery.title,
        message: delivery.message,
      });
      return;
    }
    const response = await this.http.request({
      method: 'POST',
      url: delivery.to,
      body: { title: delivery.title, message: delivery.message, ...delivery.payload },
      headers: { 'x-racine-delivery': delivery.dedupeKey },
      timeoutMs: 10_000,
    });
    if (response.status >= 300) {
      // Thrown so the queue retries the delivery with backoff.
      throw new Error(`webhook ${delivery.to} answered ${response.status}`);
    }
  }
}
