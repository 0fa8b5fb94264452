import crypto from 'node:crypto';
import type { JobDefinition } from '@racine/plugin-pipelines-common';
import type { Knex } from 'knex';

export interface TemplateRecord {
  id: string;
  workspace: string;
  visibility: 'private' | 'workspace';
  owner: string;
  definition: JobDefinition;
  createdAt: number;
  updatedAt: number;
}

/** User-made pipeline templates (the built-ins live in code). */
export interface TemplateStore {
  create(input: Omit<TemplateRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<TemplateRecord>;
  update(
    id: string,
    patch: Pick<TemplateRecord, 'definition' | 'visibility'>,
  ): Promise<TemplateRecord | undefined>;
  get(id: string): Promise<TemplateRecord | undefined>;
  /** Templates `user` may see: theirs, and those shared in the given workspaces (all when undefined). */
  listVisible(user: string, workspace?: string): Promise<TemplateRecord[]>;
  delete(id: string): Promise<void>;
}

type Row = {
  id: string;
  workspace: string;
  name: string;
  visibility: string;
  owner: string;
  definition: string;
  created_at: string | number;
  updated_at: string | number;
};

function toRecord(row: Row): TemplateRecord {
  return {
    id: row.id,
    workspace: row.workspace,
    visibility: row.visibility as TemplateRecord['visibility'],
    owner: row.owner,
    definition: JSON.parse(row.definition) as JobDefinition,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class KnexTemplateStore implements TemplateStore {
  constructor(private readonly knex: Knex) {}

  async create(
    input: Omit<TemplateRecord, 'id' | 'createdAt' | 'updatedAt'>,
  ): Promise<TemplateRecord> {
    const now = Date.now();
    const row: Row = {
      id: crypto.randomUUID(),
      workspace: input.workspace,
      name: input.definition.name,
      visibility: input.visibility,
      owner: input.owner,
      definition: JSON.stringify(input.definition),
      created_at: now,
      updated_at: now,
    };
    await this.knex('pipelines_templates').insert(row);
    return toRecord(row);
  }

  async update(id: string, patch: Pick<TemplateRecord, 'definition' | 'visibility'>) {
    await this.knex('pipelines_templates')
      .where({ id })
      .update({
        name: patch.definition.name,
        visibility: patch.visibility,
        definition: JSON.stringify(patch.definition),
        updated_at: Date.now(),
      });
    return this.get(id);
  }

  async get(id: string) {
    const row = (await this.knex<Row>('pipelines_templates').where({ id }).first()) as
      Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  async listVisible(user: string, workspace?: string) {
    const query = this.knex<Row>('pipelines_templates').where(q =>
      q.where({ owner: user }).orWhere({ visibility: 'workspace' }),
    );
    if (workspace) query.andWhere({ workspace });
    const rows = (await query.orderBy('name').orderBy('id')) as Row[];
    return rows.map(toRecord);
  }

  async delete(id: string) {
    await this.knex('pipelines_templates').where({ id }).delete();
  }
}
