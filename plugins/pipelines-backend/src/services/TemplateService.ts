import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { parseInput } from '@racine/kernel-node';
import {
  instantiateRequestSchema,
  jobDefinitionSchema,
  templateRef,
  templateVisibilities,
  validateJobDefinition,
  type Job,
  type JobDefinition,
  type PipelineTemplate,
} from '@racine/plugin-pipelines-common';
import YAML from 'yaml';
import { z } from 'zod';
import type { TemplateRecord, TemplateStore } from '../database/TemplateStore';
import { builtinTemplates } from './builtinTemplates';
import type { JobService } from './JobService';
import type { StepCatalog } from './StepCatalog';
import { iso } from './views';

const definitionFields = Object.keys(jobDefinitionSchema.shape) as (keyof JobDefinition)[];

const builtinDefinitions = builtinTemplates.map(t => ({
  id: t.id,
  definition: jobDefinitionSchema.parse(t.definition),
}));

const templateMeta = z.object({
  workspace: z.string().min(1).max(64).optional(),
  visibility: z.enum(templateVisibilities).default('private'),
});

function pickDefinition(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(definitionFields.filter(k => k in value).map(k => [k, value[k]]));
}

/** Pipelines: reusable parameterized job definitions, built-in or made by users. */
export class TemplateService {
  constructor(
    private readonly deps: {
      store: TemplateStore;
      jobs: JobService;
      catalog: StepCatalog;
      workspaceExists(name: string): Promise<boolean>;
    },
  ) {}

  private missingSteps(definition: JobDefinition): string[] {
    return validateJobDefinition(definition, this.deps.catalog.infoLookup()).missingSteps;
  }

  private builtinView(id: string, definition: JobDefinition): PipelineTemplate {
    return {
      ...definition,
      id,
      ref: templateRef(id),
      workspace: null,
      visibility: 'builtin',
      builtin: true,
      owner: 'plugin:pipelines',
      createdAt: new Date(0).toISOString(),
      updatedAt: new Date(0).toISOString(),
      missingSteps: this.missingSteps(definition),
    };
  }

  private view(record: TemplateRecord): PipelineTemplate {
    return {
      ...record.definition,
      id: record.id,
      ref: templateRef(record.id),
      workspace: record.workspace,
      visibility: record.visibility,
      builtin: false,
      owner: record.owner,
      createdAt: iso(record.createdAt)!,
      updatedAt: iso(record.updatedAt)!,
      missingSteps: this.missingSteps(record.definition),
    };
  }

  async list(user: string, workspace?: string): Promise<PipelineTemplate[]> {
    const own = await this.deps.store.listVisible(user, workspace);
    return [
      ...builtinDefinitions.map(b => this.builtinView(b.id, b.definition)),
      ...own.map(r => this.view(r)),
    ];
  }

  private async record(id: string, user: string): Promise<TemplateRecord> {
    const record = await this.deps.store.get(id);
    if (!record || (record.visibility === 'private' && record.owner !== user)) {
      throw new NotFoundError(`No pipeline template '${id}'`);
    }
    return record;
  }

  async get(id: string, user: string): Promise<PipelineTemplate> {
    const builtin = builtinDefinitions.find(b => b.id === id);
    if (builtin) return this.builtinView(builtin.id, builtin.definition);
    return this.view(await this.record(id, user));
  }

  private async definitionOf(id: string, user: string): Promise<JobDefinition> {
    const builtin = builtinDefinitions.find(b => b.id === id);
    return builtin ? builtin.definition : (await this.record(id, user)).definition;
  }

  async create(
    body: unknown,
    options: { user: string; workspace: string },
  ): Promise<PipelineTemplate> {
    const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const meta = parseInput(
      templateMeta,
      { workspace: raw.workspace, visibility: raw.visibility },
      'template',
    );
    const workspace = meta.workspace ?? options.workspace;
    if (!(await this.deps.workspaceExists(workspace))) {
      throw new InputError(`Invalid template: workspace: '${workspace}' does not exist`);
    }
    // Templates may name steps of groups not installed here (they travel between installations).
    const definition = this.deps.jobs.validate(pickDefinition(raw), {
      allowMissingSteps: true,
      what: 'template',
    });
    const record = await this.deps.store.create({
      workspace,
      visibility: meta.visibility,
      owner: options.user,
      definition,
    });
    return this.view(record);
  }

  private async mutable(id: string, user: string): Promise<TemplateRecord> {
    if (builtinDefinitions.some(b => b.id === id)) {
      throw new ConflictError(
        `'${id}' is a built-in pipeline; export it and import a copy to change it`,
      );
    }
    const record = await this.record(id, user);
    if (record.owner !== user && record.visibility === 'private') {
      throw new NotAllowedError(`Only ${record.owner} may change template '${id}'`);
    }
    return record;
  }

  async update(id: string, body: unknown, user: string): Promise<PipelineTemplate> {
    const record = await this.mutable(id, user);
    const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const meta = parseInput(
      templateMeta,
      { visibility: raw.visibility ?? record.visibility },
      'template',
    );
    const definition = this.deps.jobs.validate(pickDefinition(raw), {
      allowMissingSteps: true,
      what: 'template',
    });
    const updated = await this.deps.store.update(id, { definition, visibility: meta.visibility });
    return this.view(updated!);
  }

  async delete(id: string, user: string): Promise<TemplateRecord> {
    const record = await this.mutable(id, user);
    await this.deps.store.delete(id);
    return record;
  }

  async export(
    id: string,
    user: string,
    format: 'yaml' | 'json',
  ): Promise<{ content: string; contentType: string; filename: string; name: string }> {
    const definition = await this.definitionOf(id, user);
    const document = { kind: 'Pipeline', ...definition };
    const slug =
      definition.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'pipeline';
    return format === 'json'
      ? {
          content: `${JSON.stringify(document, null, 2)}\n`,
          contentType: 'application/json',
          filename: `${slug}.json`,
          name: definition.name,
        }
      : {
          content: YAML.stringify(document),
          contentType: 'application/yaml',
          filename: `${slug}.yaml`,
          name: definition.name,
        };
  }

  /** Creates a template from an exported YAML or JSON document. */
  async import(
    content: string,
    options: { user: string; workspace: string; visibility?: 'private' | 'workspace' },
  ): Promise<PipelineTemplate> {
    let document: unknown;
    try {
      document = content.trimStart().startsWith('{') ? JSON.parse(content) : YAML.parse(content);
    } catch (error) {
      throw new InputError(`Invalid pipeline document: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!document || typeof document !== 'object' || Array.isArray(document)) {
      throw new InputError('Invalid pipeline document: expected a YAML or JSON object');
    }
    const { kind, ...rest } = document as Record<string, unknown>;
    if (kind !== undefined && kind !== 'Pipeline') {
      throw new InputError(
        `Invalid pipeline document: kind: expected 'Pipeline', got '${String(kind)}'`,
      );
    }
    return this.create({ ...rest, visibility: options.visibility ?? 'private' }, options);
  }

  /** Makes a job from a template; refuses a template whose steps are not all registered. */
  async instantiate(
    id: string,
    body: unknown,
    options: { user: string; workspace: string },
  ): Promise<Job> {
    const request = parseInput(instantiateRequestSchema, body ?? {}, 'request');
    const template = await this.get(id, options.user);
    const definition = await this.definitionOf(id, options.user);
    if (template.missingSteps.length) {
      throw new InputError(
        `Pipeline '${template.name}' cannot be instantiated: step type(s) not registered here: ${template.missingSteps.join(', ')} (is their group switched off or not installed?)`,
      );
    }
    const known = new Set(definition.parameters.map(p => p.name));
    const unknown = Object.keys(request.parameters).filter(n => !known.has(n));
    if (unknown.length) {
      throw new InputError(
        `Invalid request: parameters: ${unknown.map(n => `'${n}'`).join(', ')} not defined by pipeline '${template.name}' (it has: ${[...known].join(', ') || 'none'})`,
      );
    }
    const job: JobDefinition = {
      ...definition,
      name: request.name ?? definition.name,
      parameters: definition.parameters.map(p => ({
        ...p,
        default: request.parameters[p.name] ?? p.default,
      })),
      schedule: request.schedule === undefined ? definition.schedule : request.schedule,
    };
    return this.deps.jobs.create(job, {
      workspace: request.workspace ?? options.workspace,
      by: options.user,
      note: `Created from pipeline '${template.name}'`,
    });
  }
}
