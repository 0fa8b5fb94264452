import {
  findCycle,
  jobDefinitionSchema,
  validateJobDefinition,
  type JobDefinition,
  type JobDefinitionInput,
  type Retries,
  type RunIf,
  type StepCatalogEntry,
  type StepInfo,
} from '@racine/plugin-pipelines-common';

/** The builder's editable form of a job: tasks as nodes, dependencies as edges. */
export interface DraftTask {
  /** Stable node id (the key can be renamed). */
  id: string;
  key: string;
  step: string;
  input: Record<string, unknown>;
  runIf: RunIf;
  retries?: Retries;
  timeoutSeconds?: number;
  description?: string;
}

export interface DraftEdge {
  id: string;
  source: string;
  target: string;
  outcome?: 'true' | 'false';
}

export type DraftSettings = Omit<JobDefinition, 'tasks'>;

export interface Draft {
  settings: DraftSettings;
  tasks: DraftTask[];
  edges: DraftEdge[];
}

export const emptySettings = (): DraftSettings => ({
  name: '',
  description: '',
  tags: [],
  parameters: [],
  schedule: null,
  triggers: [],
  maxConcurrentRuns: 1,
  queue: { enabled: true },
  timeoutSeconds: null,
  notifications: [],
  durationWarningSeconds: null,
});

let counter = 0;
export function newId(prefix = 'n'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function edgeId(source: string, target: string) {
  return `e-${source}-${target}`;
}

export function fromDefinition(definition: JobDefinition): Draft {
  const { tasks, ...settings } = definition;
  const ids = new Map(tasks.map(t => [t.key, `n-${t.key}`]));
  return {
    settings,
    tasks: tasks.map(t => ({
      id: ids.get(t.key)!,
      key: t.key,
      step: t.step,
      input: t.input,
      runIf: t.runIf,
      retries: t.retries,
      timeoutSeconds: t.timeoutSeconds,
      description: t.description,
    })),
    edges: tasks.flatMap(t =>
      t.dependsOn
        .filter(d => ids.has(d.task))
        .map(d => ({
          id: edgeId(ids.get(d.task)!, ids.get(t.key)!),
          source: ids.get(d.task)!,
          target: ids.get(t.key)!,
          outcome: d.outcome,
        })),
    ),
  };
}

export function toDefinition(draft: Draft): JobDefinitionInput {
  const keyOf = new Map(draft.tasks.map(t => [t.id, t.key]));
  return {
    ...draft.settings,
    tasks: draft.tasks.map(t => ({
      key: t.key,
      step: t.step,
      input: t.input,
      runIf: t.runIf,
      ...(t.description ? { description: t.description } : {}),
      ...(t.retries && t.retries.max > 0 ? { retries: t.retries } : {}),
      ...(t.timeoutSeconds ? { timeoutSeconds: t.timeoutSeconds } : {}),
      dependsOn: draft.edges
        .filter(e => e.target === t.id && keyOf.has(e.source))
        .map(e => ({ task: keyOf.get(e.source)!, ...(e.outcome ? { outcome: e.outcome } : {}) })),
    })),
  };
}

/** A key for a new task of a step type: `scan`, `scan_2`, … */
export function newKey(step: string, existing: string[]): string {
  const base =
    (step.split('.').pop() ?? 'task')
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase() || 'task';
  if (!existing.includes(base)) return base;
  for (let i = 2; ; i++) if (!existing.includes(`${base}_${i}`)) return `${base}_${i}`;
}

/** Left-to-right layout: a task's column is the length of the longest path leading to it. */
export function layout(
  tasks: { id: string }[],
  edges: { source: string; target: string }[],
): Record<string, { x: number; y: number }> {
  const incoming = new Map<string, string[]>();
  for (const e of edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    if (level.has(id)) return level.get(id)!;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const d = Math.max(-1, ...(incoming.get(id) ?? []).map(depth)) + 1;
    visiting.delete(id);
    level.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  const out: Record<string, { x: number; y: number }> = {};
  for (const t of tasks) {
    const column = depth(t.id);
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    out[t.id] = { x: 40 + column * 280, y: 40 + row * 120 };
  }
  return out;
}

/** Whether adding the edge source → target would close a cycle. */
export function wouldCycle(
  tasks: DraftTask[],
  edges: DraftEdge[],
  source: string,
  target: string,
): boolean {
  if (source === target) return true;
  const all = [...edges, { id: 'new', source, target }];
  return Boolean(
    findCycle(
      tasks.map(t => ({
        key: t.id,
        dependsOn: all.filter(e => e.target === t.id).map(e => ({ task: e.source })),
      })),
    ),
  );
}

export function stepLookup(steps: StepCatalogEntry[]): (id: string) => StepInfo | undefined {
  const byId = new Map(steps.map(s => [s.id, s]));
  return id => {
    const entry = byId.get(id);
    if (!entry) return undefined;
    const required = Array.isArray(entry.inputSchema.required)
      ? (entry.inputSchema.required as string[])
      : [];
    return { id, outputs: entry.outputs, required };
  };
}

export interface DraftValidation {
  /** Problems per task (node id). */
  byTask: Map<string, string[]>;
  /** Problems of the job's settings or of the graph as a whole. */
  general: string[];
  missingSteps: string[];
  valid: boolean;
}

/** Validation as the user builds: the same checks the server runs when the job is saved. */
export function validateDraft(draft: Draft, steps: StepCatalogEntry[]): DraftValidation {
  const byTask = new Map<string, string[]>();
  const general: string[] = [];
  const add = (path: string, message: string) => {
    const match = /^tasks\.(\d+)(?:\.(.*))?$/.exec(path);
    const task = match ? draft.tasks[Number(match[1])] : undefined;
    if (task)
      byTask.set(task.id, [
        ...(byTask.get(task.id) ?? []),
        match?.[2] ? `${match[2]}: ${message}` : message,
      ]);
    else general.push(path ? `${path}: ${message}` : message);
  };
  if (draft.tasks.length === 0) {
    return {
      byTask,
      general: ['Add at least one task: drag a step from the palette'],
      missingSteps: [],
      valid: false,
    };
  }
  const parsed = jobDefinitionSchema.safeParse(toDefinition(draft));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(issue.path.join('.'), issue.message);
    return { byTask, general, missingSteps: [], valid: false };
  }
  const result = validateJobDefinition(parsed.data, stepLookup(steps));
  for (const issue of result.issues) add(issue.path, issue.message);
  for (const step of result.missingSteps) general.push(`step type ${step} is not registered here`);
  return {
    byTask,
    general,
    missingSteps: result.missingSteps,
    valid: result.issues.length === 0 && result.missingSteps.length === 0,
  };
}
