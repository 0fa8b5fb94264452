import crypto from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { JobDefinition } from '@racine/plugin-pipelines-common';
import type { Knex } from 'knex';

export interface JobRecord {
  id: string;
  workspace: string;
  name: string;
  owner: string;
  version: number;
  definition: JobDefinition;
  nextFireAt: number | null;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
}

export interface JobVersionRecord {
  jobId: string;
  version: number;
  definition: JobDefinition;
  note: string;
  createdAt: number;
  createdBy: string;
}

export interface JobListFilter {
  workspace?: string;
  q?: string;
  tag?: string;
  limit: number;
  offset: number;
}

/** Jobs and their immutable versions. */
export interface JobStore {
  create(input: {
    workspace: string;
    definition: JobDefinition;
    by: string;
    note: string;
    nextFireAt: number | null;
  }): Promise<JobRecord>;
  /** Saves a new version; `by` becomes the owner (runs act with the last editor's rights). */
  update(
    id: string,
    input: { definition: JobDefinition; by: string; note: string; nextFireAt: number | null },
  ): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  list(filter: JobListFilter): Promise<{ items: JobRecord[]; total: number }>;
  delete(id: string): Promise<void>;
  versions(id: string): Promise<JobVersionRecord[]>;
  version(id: string, version: number): Promise<JobVersionRecord | undefined>;
  /** Moves a job's next fire time from `expected` to `next`; false when another replica did. */
  advanceSchedule(id: string, expected: number, next: number | null): Promise<boolean>;
  setNextFireAt(id: string, next: number | null): Promise<void>;
  dueJobs(now: number, limit: number): Promise<JobRecord[]>;
  jobsTriggeredBy(topic: string): Promise<JobRecord[]>;
}

type JobRow = {
  id: string;
  workspace: string;
  name: string;
  owner: string;
  version: number;
  definition: string;
  tags: string;
  next_fire_at: string | number | null;
  created_at: string | number;
  created_by: string;
  updated_at: string | number;
  updated_by: string;
};

type VersionRow = {
  job_id: string;
  version: number;
  definition: string;
  note: string;
  created_at: string | number;
  created_by: string;
};

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    workspace: row.workspace,
    name: row.name,
    owner: row.owner,
    version: Number(row.version),
    definition: JSON.parse(row.definition) as JobDefinition,
    nextFireAt: num(row.next_fire_at),
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
    updatedAt: Number(row.updated_at),
    updatedBy: row.updated_by,
  };
}

function toVersion(row: VersionRow): JobVersionRecord {
  return {
    jobId: row.job_id,
    version: Number(row.version),
    definition: JSON.parse(row.definition) as JobDefinition,
    note: row.note,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
  };
}

function escapeLike(text: string) {
  return text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`);
}

export class KnexJobStore implements JobStore {
  private readonly postgres: boolean;

  constructor(private readonly knex: Knex) {
    this.postgres = ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
  }

  private async writeTriggers(tx: Knex.Transaction, id: string, definition: JobDefinition) {
    await tx('pipelines_job_triggers').where({ job_id: id }).delete();
    if (definition.triggers.length) {
      await tx('pipelines_job_triggers').insert(
        definition.triggers.map((t, position) => ({ job_id: id, position, topic: t.event })),
      );
    }
  }

  async create(input: {
    workspace: string;
    definition: JobDefinition;
    by: string;
    note: string;
    nextFireAt: number | null;
  }): Promise<JobRecord> {
    const id = crypto.randomUUID();
    const now = Date.now();
    const row: JobRow = {
      id,
      workspace: input.workspace,
      name: input.definition.name,
      owner: input.by,
      version: 1,
      definition: JSON.stringify(input.definition),
      tags: JSON.stringify(input.definition.tags),
      next_fire_at: input.nextFireAt,
      created_at: now,
      created_by: input.by,
      updated_at: now,
      updated_by: input.by,
    };
    await this.knex.transaction(async tx => {
      await tx('pipelines_jobs').insert(row);
      await tx('pipelines_job_versions').insert({
        job_id: id,
        version: 1,
        definition: row.definition,
        note: input.note,
        created_at: now,
        created_by: input.by,
      });
      await this.writeTriggers(tx, id, input.definition);
    });
    return toJob(row);
  }

  async update(
    id: string,
    input: { definition: JobDefinition; by: string; note: string; nextFireAt: number | null },
  ): Promise<JobRecord> {
    return this.knex.transaction(async tx => {
      const query = tx<JobRow>('pipelines_jobs').where({ id }).first();
      const current = (await (this.postgres ? query.forUpdate() : query)) as JobRow | undefined;
      if (!current) throw new NotFoundError(`No job '${id}'`);
      const version = Number(current.version) + 1;
      const now = Date.now();
      const definition = JSON.stringify(input.definition);
      try {
        await tx('pipelines_job_versions').insert({
          job_id: id,
          version,
          definition,
          note: input.note,
          created_at: now,
          created_by: input.by,
        });
      } catch {
        throw new ConflictError(`Job '${id}' was changed concurrently; reload and save again`);
      }
      const patch = {
        name: input.definition.name,
        owner: input.by,
        version,
        definition,
        tags: JSON.stringify(input.definition.tags),
        next_fire_at: input.nextFireAt,
        updated_at: now,
        updated_by: input.by,
      };
      await tx('pipelines_jobs').where({ id }).update(patch);
      await this.writeTriggers(tx, id, input.definition);
      return toJob({ ...current, ...patch });
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = (await this.knex<JobRow>('pipelines_jobs').where({ id }).first()) as
      JobRow | undefined;
    return row ? toJob(row) : undefined;
  }

  async list(filter: JobListFilter): Promise<{ items: JobRecord[]; total: number }> {
    const base = this.knex<JobRow>('pipelines_jobs');
    if (filter.workspace) base.where({ workspace: filter.workspace });
    if (filter.q) base.whereRaw(`lower(name) like ? escape '\\'`, [`%${escapeLike(filter.q)}%`]);
    if (filter.tag) {
      base.whereRaw(`tags like ? escape '\\'`, [`%${escapeLike(JSON.stringify(filter.tag))}%`]);
    }
    const [{ count }] = (await base.clone().count({ count: '*' })) as { count: string | number }[];
    const rows = (await base
      .clone()
      .orderBy('name')
      .orderBy('id')
      .limit(filter.limit)
      .offset(filter.offset)) as JobRow[];
    return { items: rows.map(toJob), total: Number(count) };
  }

  async delete(id: string): Promise<void> {
    await this.knex.transaction(async tx => {
      await tx('pipelines_job_triggers').where({ job_id: id }).delete();
      await tx('pipelines_job_versions').where({ job_id: id }).delete();
      await tx('pipelines_jobs').where({ id }).delete();
    });
  }

  async versions(id: string): Promise<JobVersionRecord[]> {
    const rows = (await this.knex<VersionRow>('pipelines_job_versions')
      .where({ job_id: id })
      .orderBy('version', 'desc')) as VersionRow[];
    return rows.map(toVersion);
  }

  async version(id: string, version: number): Promise<JobVersionRecord | undefined> {
    const row = (await this.knex<VersionRow>('pipelines_job_versions')
      .where({ job_id: id, version })
      .first()) as VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }

  async advanceSchedule(id: string, expected: number, next: number | null): Promise<boolean> {
    const updated = await this.knex('pipelines_jobs')
      .where({ id, next_fire_at: expected })
      .update({ next_fire_at: next });
    return updated > 0;
  }

  async setNextFireAt(id: string, next: number | null): Promise<void> {
    await this.knex('pipelines_jobs').where({ id }).update({ next_fire_at: next });
  }

  async dueJobs(now: number, limit: number): Promise<JobRecord[]> {
    const rows = (await this.knex<JobRow>('pipelines_jobs')
      .whereNotNull('next_fire_at')
      .andWhere('next_fire_at', '<=', now)
      .orderBy('next_fire_at')
      .limit(limit)) as JobRow[];
    return rows.map(toJob);
  }

  async jobsTriggeredBy(topic: string): Promise<JobRecord[]> {
    const rows = (await this.knex<JobRow>('pipelines_jobs')
      .whereIn('id', this.knex('pipelines_job_triggers').where({ topic }).select('job_id'))
      .orderBy('id')) as JobRow[];
    return rows.map(toJob);
  }
}
