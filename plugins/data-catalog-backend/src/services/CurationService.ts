import type { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import { actorOf, type AuditService } from '@racine/kernel-node';
import {
  catalogEditPermission,
  type AssetChangedEventPayload,
  type AssetHistoryResponse,
  type CurationResponse,
} from '@racine/plugin-data-catalog-common';
import type { CatalogStore } from '../database/CatalogStore';
import type {
  CuratedFields,
  CurationPatch,
  CurationResult,
  KnexCurationStore,
} from '../database/CurationStore';
import type { KnexGlossaryStore } from '../database/GlossaryStore';
import type { CatalogAccess } from './catalogAccess';

/** Changes applied to many assets at once: `set` replaces, `add*`/`remove*` edit lists. */
export interface BulkCuration {
  set: CurationPatch;
  addTags: string[];
  removeTags: string[];
  addOwners: string[];
  removeOwners: string[];
  addStewards: string[];
  removeStewards: string[];
  addTerms: string[];
  removeTerms: string[];
}

function edited(list: string[], add: string[], remove: string[]): string[] {
  const removed = new Set(remove);
  return [...new Set([...list.filter(v => !removed.has(v)), ...add])];
}

const EVENT_CHUNK_SIZE = 500;

/**
 * Curation of assets by people: descriptions, owners and stewards, tags, glossary terms,
 * custom properties and a sensitivity override. Versioned (history), audited, announced.
 */
export class CurationService {
  constructor(
    private readonly deps: {
      access: CatalogAccess;
      curation: KnexCurationStore;
      glossary: KnexGlossaryStore;
      store: CatalogStore;
      audit: AuditService;
      events: Pick<EventsService, 'publish'>;
      logger: LoggerService;
      now?: () => string;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date().toISOString();
  }

  /** 404 for assets the caller cannot see, 403 for those they see but may not edit. */
  private async authorize(credentials: BackstageCredentials, refs: string[]) {
    const assets = await this.deps.store.getAssets(refs);
    const scope = await this.deps.access.viewScope(credentials);
    const visible = new Set((await scope.visible(assets)).map(a => a.ref));
    const hidden = refs.filter(ref => !visible.has(ref));
    if (hidden.length) throw new NotFoundError(`No asset ${hidden.slice(0, 3).join(', ')}`);
    const editable = new Set(
      (await this.deps.access.allowed(credentials, catalogEditPermission, assets)).map(a => a.ref),
    );
    const denied = refs.filter(ref => !editable.has(ref));
    if (denied.length) {
      await this.deps.audit.record({
        credentials,
        workspace: assets[0]?.workspace ?? 'default',
        resource: denied[0],
        verb: 'asset.curate',
        outcome: 'denied',
        summary: `${actorOf(credentials)} may not edit ${denied.length} asset(s)`,
        details: { refs: denied.slice(0, 100) },
      });
      throw new NotAllowedError(`Missing permission catalog.edit on ${denied[0]}`);
    }
  }

  /**
   * A check of an asset's new terms (`next`, against its `current` ones): those it adds must
   * be approved glossary terms. A term it already carries may stay whatever its status (a
   * renamed term goes back to draft; its assets keep it and can still be edited).
   */
  private async termsCheck(
    termIds: string[],
  ): Promise<(current: string[], next: string[]) => void> {
    const notApproved = new Set(
      termIds.length ? await this.deps.glossary.notApproved([...new Set(termIds)]) : [],
    );
    return (current, next) => {
      const added = next.find(id => notApproved.has(id) && !current.includes(id));
      if (added)
        throw new InputError(`Invalid body: terms: ${added} is not an approved glossary term`);
    };
  }

  async patch(
    credentials: BackstageCredentials,
    ref: string,
    patch: CurationPatch,
    expectedVersion?: number,
  ): Promise<CurationResponse> {
    await this.authorize(credentials, [ref]);
    const checkTerms = await this.termsCheck(patch.terms ?? []);
    const fields = Object.keys(patch).join(', ');
    const patchOf = (current: CuratedFields): CurationPatch => {
      if (patch.terms) checkTerms(current.terms, patch.terms);
      return patch;
    };
    const results = await this.deps.curation.curate([ref], patchOf, {
      actor: actorOf(credentials),
      now: this.now(),
      summary: `Edited ${fields}`,
      expectedVersion,
    });
    await this.after(credentials, results);
    const [asset] = await this.deps.store.getAssets([ref]);
    return { ref, version: asset.version, changed: Object.keys(results[0]?.changes ?? {}) };
  }

  async bulk(
    credentials: BackstageCredentials,
    refs: string[],
    ops: BulkCuration,
  ): Promise<{ changed: CurationResponse[]; unchanged: string[] }> {
    const unique = [...new Set(refs)];
    await this.authorize(credentials, unique);
    const checkTerms = await this.termsCheck([...(ops.set.terms ?? []), ...ops.addTerms]);
    const patchOf = (current: CuratedFields): CurationPatch => {
      const patch: CurationPatch = { ...ops.set };
      // Bulk properties merge into each asset's own (a null value removes the key).
      if (ops.set.properties) {
        const merged: Record<string, unknown> = { ...current.properties };
        for (const [key, value] of Object.entries(ops.set.properties)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        patch.properties = merged;
      }
      if (ops.addTags.length || ops.removeTags.length)
        patch.tags = edited(patch.tags ?? current.tags, ops.addTags, ops.removeTags);
      if (ops.addOwners.length || ops.removeOwners.length)
        patch.owners = edited(patch.owners ?? current.owners, ops.addOwners, ops.removeOwners);
      if (ops.addStewards.length || ops.removeStewards.length)
        patch.stewards = edited(
          patch.stewards ?? current.stewards,
          ops.addStewards,
          ops.removeStewards,
        );
      if (ops.addTerms.length || ops.removeTerms.length)
        patch.terms = edited(patch.terms ?? current.terms, ops.addTerms, ops.removeTerms);
      if (patch.terms) checkTerms(current.terms, patch.terms);
      return patch;
    };
    const results = await this.deps.curation.curate(unique, patchOf, {
      actor: actorOf(credentials),
      now: this.now(),
      summary: `Bulk edit of ${unique.length} asset(s)`,
    });
    await this.after(credentials, results);
    const changed = new Set(results.map(r => r.ref));
    return {
      changed: results.map(r => ({
        ref: r.ref,
        version: r.version,
        changed: Object.keys(r.changes),
      })),
      unchanged: unique.filter(ref => !changed.has(ref)),
    };
  }

  async history(
    credentials: BackstageCredentials,
    ref: string,
    page: { limit: number; before?: number },
  ): Promise<AssetHistoryResponse> {
    const scope = await this.deps.access.viewScope(credentials);
    const [asset] = await scope.visible(await this.deps.store.getAssets([ref]));
    if (!asset) throw new NotFoundError(`No asset ${ref}`);
    return this.deps.curation.history(ref, page);
  }

  /** Detaches a glossary term from every asset (before the term is deleted), as curation. */
  async detachTerm(credentials: BackstageCredentials, termId: string, termName: string) {
    const refs = await this.deps.curation.refsWithTerm(termId);
    if (refs.length === 0) return;
    const results = await this.deps.curation.curate(
      refs,
      current => ({ terms: current.terms.filter(t => t !== termId) }),
      {
        actor: actorOf(credentials),
        now: this.now(),
        summary: `Glossary term ${termName} deleted`,
      },
    );
    await this.after(credentials, results);
  }

  /** Sensitivity falls back to the labels, then audit and `asset.changed`. */
  private async after(credentials: BackstageCredentials, results: CurationResult[]) {
    if (results.length === 0) return;
    const unset = results.filter(
      r => 'sensitivity' in r.changes && r.changes.sensitivity.to === null,
    );
    if (unset.length) await this.deps.store.refreshSensitivity(unset.map(r => r.ref));
    for (const result of results) {
      await this.deps.audit.record({
        credentials,
        workspace: result.workspace,
        resource: result.ref,
        verb: 'asset.curate',
        summary: `Changed ${Object.keys(result.changes).join(', ')} of ${result.ref} (version ${result.version})`,
        details: { version: result.version, changes: result.changes },
      });
    }
    const bySource = new Map<string, string[]>();
    for (const r of results)
      bySource.set(r.dataSourceId, [...(bySource.get(r.dataSourceId) ?? []), r.ref]);
    for (const [dataSourceId, refs] of bySource) {
      for (let i = 0; i < refs.length; i += EVENT_CHUNK_SIZE) {
        const eventPayload: AssetChangedEventPayload = {
          dataSourceId,
          runId: '',
          reason: 'curated',
          refs: refs.slice(i, i + EVENT_CHUNK_SIZE),
          actor: actorOf(credentials),
        };
        try {
          await this.deps.events.publish({ topic: eventTopics.assetChanged, eventPayload });
        } catch (error) {
          this.deps.logger.warn(`Could not publish ${eventTopics.assetChanged}: ${String(error)}`);
        }
      }
    }
  }
}
