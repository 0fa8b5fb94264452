import type { WorkflowStepDescriptor } from '@racine/kernel-common';
import {
  builtinStep,
  builtinSteps,
  isIdempotentHttpMethod,
  type StepCatalogEntry,
  type StepInfo,
} from '@racine/plugin-pipelines-common';
import { z } from 'zod';

/** Where registered steps come from: the kernel workflow-step registry (via the action invoker). */
export interface StepSource {
  describeSteps(): WorkflowStepDescriptor[];
}

const builtinEntries: StepCatalogEntry[] = builtinSteps.map(step => ({
  id: step.id,
  title: step.title,
  description: step.description,
  pluginId: 'pipelines',
  actionId: null,
  inputSchema: z.toJSONSchema(step.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >,
  outputs: step.outputs,
  idempotent: step.idempotent,
  uiHints: step.uiHints,
  builtin: true,
}));

/**
 * Every step a task can use: the engine's built-in control steps (`core.*`) and each step type
 * registered in the kernel workflow-step registry by any enabled group.
 */
export class StepCatalog {
  constructor(private readonly source: StepSource) {}

  list(): StepCatalogEntry[] {
    const registered = this.source.describeSteps().map((s): StepCatalogEntry => ({
      id: s.id,
      title: s.title,
      description: s.description,
      pluginId: s.pluginId,
      actionId: s.actionId,
      inputSchema: s.inputSchema,
      outputs: s.outputs.length ? s.outputs : null,
      idempotent: s.idempotent,
      uiHints: s.uiHints,
      builtin: false,
    }));
    return [...builtinEntries, ...registered];
  }

  get(id: string): StepCatalogEntry | undefined {
    if (builtinStep(id)) return builtinEntries.find(e => e.id === id);
    return this.list().find(e => e.id === id);
  }

  /** A lookup for definition validation. */
  infoLookup(): (id: string) => StepInfo | undefined {
    const byId = new Map(this.list().map(e => [e.id, e]));
    return id => {
      const entry = byId.get(id);
      if (!entry) return undefined;
      const required = Array.isArray(entry.inputSchema.required)
        ? (entry.inputSchema.required as string[])
        : [];
      return { id, outputs: entry.outputs, required };
    };
  }

  /**
   * Whether re-running a task after its worker died has the effect of running it once: the
   * step's declared metadata, and for HTTP requests the method (a literal idempotent method).
   */
  isIdempotent(task: { step: string; input: Record<string, unknown> }): boolean {
    if (task.step === 'core.http') {
      const method = task.input.method ?? 'GET';
      return typeof method === 'string' && !method.includes('{{') && isIdempotentHttpMethod(method);
    }
    return this.get(task.step)?.idempotent ?? false;
  }
}
