import crypto from 'node:crypto';
import type { HeldLease, LeaseRequest, ScanStore } from '../database/ScanStore';

export interface SourceLease extends HeldLease {
  /** Extends the lease; false when it expired and another worker took the slot. */
  renew(): Promise<boolean>;
  /** Gives the slot back, unless it was released with the table's final write (see `settled`). */
  release(): Promise<void>;
  /** Marks the lease as released by a store transaction. */
  settled(): void;
}

/**
 * Bounds how many scan tasks work on one data source at once, across every worker process:
 * each data source has `slots` lease rows in the database, a task takes one with a single
 * conditional UPDATE and renews it while it works. A worker that dies stops renewing, so its
 * slots free themselves after `ttlMs`.
 */
export class SourceLeases {
  private readonly prepared = new Set<string>();

  constructor(
    private readonly store: ScanStore,
    private readonly options: { slots: number; ttlMs: number },
  ) {}

  get ttlMs() {
    return this.options.ttlMs;
  }

  /** A request for a slot (the slot rows are created once per process and data source). */
  async request(dataSourceId: string, holder: string = crypto.randomUUID()): Promise<LeaseRequest> {
    if (!this.prepared.has(dataSourceId)) {
      await this.store.ensureLeaseSlots(dataSourceId, this.options.slots);
      this.prepared.add(dataSourceId);
    }
    return {
      dataSourceId,
      slots: this.options.slots,
      holder,
      nowMs: Date.now(),
      ttlMs: this.options.ttlMs,
    };
  }

  async acquire(dataSourceId: string): Promise<SourceLease | undefined> {
    const request = await this.request(dataSourceId);
    const slot = await this.store.acquireLease(request);
    return slot === undefined
      ? undefined
      : this.held({ dataSourceId, slot, holder: request.holder });
  }

  held(lease: HeldLease): SourceLease {
    let released = false;
    return {
      ...lease,
      renew: () =>
        this.store.renewLease(
          lease.dataSourceId,
          lease.slot,
          lease.holder,
          Date.now() + this.options.ttlMs,
        ),
      release: async () => {
        if (released) return;
        released = true;
        await this.store.releaseLease(lease.dataSourceId, lease.slot, lease.holder);
      },
      settled: () => {
        released = true;
      },
    };
  }
}
