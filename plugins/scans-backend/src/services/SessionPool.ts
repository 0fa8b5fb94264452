import crypto from 'node:crypto';
import type { ConnectorRegistry, ConnectorSession } from '@racine/plugin-datasources-node';
import type { DataSourceConnection } from './collaborators';

interface Entry {
  key: string;
  session: Promise<ConnectorSession>;
  users: number;
  idleTimer?: NodeJS.Timeout;
  /** Set when the session must not be handed out again (it failed, or the pool closes). */
  retired: boolean;
}

export interface SessionLease {
  session: ConnectorSession;
  /** Gives the session back; `broken` closes it instead of keeping it for the next task. */
  release(broken?: boolean): Promise<void>;
}

/**
 * Connector sessions of this process, one per data source (and configuration), shared by the
 * tasks that scan it at the same time and closed after `idleMs` without users. A session is a
 * small connection pool, so sharing it bounds the connections one process opens to a source.
 */
export class SessionPool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly connectors: ConnectorRegistry,
    private readonly options: { idleMs: number; maxConnections: number },
  ) {}

  async acquire(
    connection: DataSourceConnection,
    statementTimeoutMs: number,
  ): Promise<SessionLease> {
    const key = crypto
      .createHash('sha256')
      .update(
        JSON.stringify([connection.id, connection.type, connection.config, statementTimeoutMs]),
      )
      .digest('hex');
    let entry = this.entries.get(key);
    if (!entry || entry.retired) {
      const created: Entry = {
        key,
        users: 0,
        retired: false,
        session: this.connectors.connect(connection.type, connection.config, {
          statementTimeoutMs,
          maxConnections: this.options.maxConnections,
        }),
      };
      created.session.catch(() => {
        created.retired = true;
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
      this.entries.set(key, created);
      entry = created;
    }
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = undefined;
    }
    entry.users += 1;
    const current = entry;
    let session: ConnectorSession;
    try {
      session = await current.session;
    } catch (error) {
      current.users -= 1;
      throw error;
    }
    let released = false;
    return {
      session,
      release: async (broken = false) => {
        if (released) return;
        released = true;
        current.users -= 1;
        if (broken) this.retire(current);
        if (current.users > 0) return;
        if (current.retired) {
          await session.close().catch(() => undefined);
          return;
        }
        current.idleTimer = setTimeout(() => {
          if (current.users > 0) return;
          this.retire(current);
          void session.close().catch(() => undefined);
        }, this.options.idleMs);
        current.idleTimer.unref();
      },
    };
  }

  private retire(entry: Entry) {
    entry.retired = true;
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
  }

  /** Closes every session (on shutdown). */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      entries.map(async entry => {
        entry.retired = true;
        if (entry.idleTimer) clearTimeout(entry.idleTimer);
        const session = await entry.session.catch(() => undefined);
        await session?.close().catch(() => undefined);
      }),
    );
  }
}
