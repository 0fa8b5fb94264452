import { NotFoundError } from '@backstage/errors';
import {
  retriesSchema,
  type JobDefinition,
  type Retries,
  type TaskDefinition,
} from '@racine/plugin-pipelines-common';
import type { Knex } from 'knex';
import type { RunTx } from '../database/RunStore';
import { topological, type GraphTask } from './semantics';

/** A job version as the engine uses it: immutable, so cached per process. */
export interface LoadedDefinition {
  jobId: string;
  version: number;
  definition: JobDefinition;
  graph: GraphTask[];
  /** The graph in dependency order (computed once). */
  order: GraphTask[];
  tasks: Map<string, TaskDefinition>;
}

/** The task a task-run row executes: a top-level task, or a for-each iteration's nested task. */
export interface ExecutableTask {
  key: string;
  step: string;
  input: Record<string, unknown>;
  retries?: Retries;
  timeoutSeconds?: number;
}

export function iterationKey(parentKey: string, index: number): string {
  return `${parentKey}[${index}]`;
}

export class DefinitionCache {
  private readonly cache = new Map<string, LoadedDefinition>();

  constructor(private readonly knex: Knex) {}

  /**
   * Loads a job version; inside a transaction pass it, so SQLite's single connection is not
   * asked for twice.
   */
  async load(jobId: string, version: number, tx?: RunTx): Promise<LoadedDefinition> {
    const key = `${jobId}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = (await (tx?.db ?? this.knex)('pipelines_job_versions')
      .where({ job_id: jobId, version })
      .first('definition')) as { definition: string } | undefined;
    if (!row) throw new NotFoundError(`Job '${jobId}' has no version ${version}`);
    const definition = JSON.parse(row.definition) as JobDefinition;
    const graph = definition.tasks.map(t => ({
      key: t.key,
      dependsOn: t.dependsOn,
      runIf: t.runIf,
    }));
    const loaded: LoadedDefinition = {
      jobId,
      version,
      definition,
      graph,
      order: topological(graph),
      tasks: new Map(definition.tasks.map(t => [t.key, t])),
    };
    if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, loaded);
    return loaded;
  }

  /** The task a row executes (for `<key>[<i>]`, the for-each task's nested task). */
  static executable(
    def: LoadedDefinition,
    taskKey: string,
    parentKey: string | null,
  ): ExecutableTask | undefined {
    if (!parentKey) {
      const task = def.tasks.get(taskKey);
      return (
        task && {
          key: task.key,
          step: task.step,
          input: task.input,
          retries: task.retries,
          timeoutSeconds: task.timeoutSeconds,
        }
      );
    }
    const parent = def.tasks.get(parentKey);
    const nested = parent?.input.task as
      | {
          step: string;
          input?: Record<string, unknown>;
          retries?: Retries;
          timeoutSeconds?: number;
        }
      | undefined;
    if (!nested) return undefined;
    return {
      key: taskKey,
      step: nested.step,
      input: nested.input ?? {},
      retries: nested.retries ? retriesSchema.parse(nested.retries) : undefined,
      timeoutSeconds: nested.timeoutSeconds,
    };
  }
}
