import { createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Workspace } from '@racine/kernel-common';
import type { Knex } from 'knex';
import { kernelDatabaseServiceRef } from '../database/kernelDatabase';

const TABLE = 'racine_workspaces';

type Row = {
  name: string;
  title: string;
  description: string;
  created_by: string;
  created_at: string;
};

function toWorkspace(row: Row): Workspace {
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export interface NewWorkspace {
  name: string;
  title: string;
  description?: string;
}

/** Workspaces: every resource belongs to one (the `default` one unless chosen). */
export class WorkspaceService {
  constructor(private readonly knex: Knex) {}

  async list(): Promise<Workspace[]> {
    const rows = (await this.knex<Row>(TABLE).orderBy('name')) as Row[];
    return rows.map(toWorkspace);
  }

  async get(name: string): Promise<Workspace> {
    const row = (await this.knex<Row>(TABLE).where({ name }).first()) as Row | undefined;
    if (!row) throw new NotFoundError(`Workspace '${name}' does not exist`);
    return toWorkspace(row);
  }

  async exists(name: string): Promise<boolean> {
    return Boolean(await this.knex(TABLE).where({ name }).first('name'));
  }

  async create(input: NewWorkspace, createdBy: string): Promise<Workspace> {
    const row: Row = {
      name: input.name,
      title: input.title,
      description: input.description ?? '',
      created_by: createdBy,
      created_at: new Date().toISOString(),
    };
    // Insert-if-absent in one statement so two replicas racing on a name cannot both win.
    const inserted = await this.knex(TABLE)
      .insert(row)
      .onConflict('name')
      .ignore()
      .returning('name');
    if (inserted.length === 0) {
      throw new ConflictError(`Workspace '${input.name}' already exists`);
    }
    return toWorkspace(row);
  }

  /** Case-insensitive substring search over name, title and description. */
  async search(query: string, limit: number): Promise<Workspace[]> {
    const pattern = `%${query.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
    const rows = (await this.knex<Row>(TABLE)
      .whereRaw(`lower(name) like ? escape '\\'`, [pattern])
      .orWhereRaw(`lower(title) like ? escape '\\'`, [pattern])
      .orWhereRaw(`lower(description) like ? escape '\\'`, [pattern])
      .orderBy('name')
      .limit(limit)) as Row[];
    return rows.map(toWorkspace);
  }
}

export const workspaceServiceRef = createServiceRef<WorkspaceService>({
  id: 'racine.kernel.workspaces',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { db: kernelDatabaseServiceRef },
      factory: ({ db }) => new WorkspaceService(db.knex),
    }),
});
