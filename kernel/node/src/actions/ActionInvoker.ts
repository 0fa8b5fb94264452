import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { isError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ActionDescriptor, WorkflowStepDescriptor } from '@racine/kernel-common';
import type { AuditService } from '../audit/serviceRefs';
import { actorOf } from '../audit/ActivityLog';
import { grantedPermissionNames, isGranted } from '../permissions';
import type { KernelRegistries } from '../registries/KernelRegistries';
import type { ActionDefinition } from '../registries/types';
import { parseInput } from '../validation';
import { z } from 'zod';

export interface InvokeRequest {
  actionId: string;
  input: unknown;
  credentials: BackstageCredentials;
  workspace: string;
}

function jsonSchemaOf(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * Runs actions: the one place where every invocation, from the palette, a workflow, the AI
 * assistant or a script, is authorized, validated, executed and audited.
 */
export class ActionInvoker {
  private readonly schemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

  constructor(
    private readonly deps: {
      registries: KernelRegistries;
      permissions: PermissionsService;
      audit: AuditService;
      logger: LoggerService;
    },
  ) {}

  private schema(zodSchema: z.ZodType) {
    let schema = this.schemaCache.get(zodSchema);
    if (!schema) {
      schema = jsonSchemaOf(zodSchema);
      this.schemaCache.set(zodSchema, schema);
    }
    return schema;
  }

  describe(pluginId: string, action: ActionDefinition): ActionDescriptor {
    return {
      id: action.id,
      title: action.title,
      description: action.description,
      inputSchema: this.schema(action.input),
      outputSchema: action.output ? this.schema(action.output) : undefined,
      permission: action.permission?.name,
      pluginId,
    };
  }

  /** The actions the caller may run, for the command palette and the assistant. */
  async describeRunnable(credentials: BackstageCredentials): Promise<ActionDescriptor[]> {
    const entries = [...this.deps.registries.actions.values()];
    const granted = await grantedPermissionNames(
      this.deps.permissions,
      credentials,
      entries.flatMap(e => (e.item.permission ? [e.item.permission] : [])),
    );
    return entries
      .filter(e => !e.item.permission || granted.has(e.item.permission.name))
      .map(e => this.describe(e.pluginId, e.item))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  describeSteps(): WorkflowStepDescriptor[] {
    const steps: WorkflowStepDescriptor[] = [];
    for (const { pluginId, item } of this.deps.registries.workflowSteps.values()) {
      const action = this.deps.registries.actions.get(item.actionId);
      // A step whose action is missing (its group switched off) cannot run: leave it out.
      if (!action) continue;
      const described = this.describe(action.pluginId, action.item);
      steps.push({
        id: item.id,
        title: item.title ?? described.title,
        description: item.description ?? described.description,
        pluginId,
        actionId: item.actionId,
        inputSchema: described.inputSchema,
        outputSchema: described.outputSchema,
        outputs: item.outputs ?? [],
        idempotent: item.idempotent,
        uiHints: item.uiHints,
      });
    }
    return steps.sort((a, b) => a.id.localeCompare(b.id));
  }

  async invoke(request: InvokeRequest): Promise<unknown> {
    const entry = this.deps.registries.actions.get(request.actionId);
    if (!entry) throw new NotFoundError(`No action '${request.actionId}'`);
    const action = entry.item;
    const { credentials, workspace } = request;
    const audit = (
      outcome: 'success' | 'failure' | 'denied',
      summary: string,
      resource?: string,
      details?: Record<string, unknown>,
    ) =>
      this.deps.audit.record({
        credentials,
        workspace,
        verb: action.id,
        outcome,
        summary,
        resource,
        details,
      });

    if (
      action.permission &&
      !(await isGranted(this.deps.permissions, credentials, action.permission))
    ) {
      await audit('denied', `${action.title}: denied (missing ${action.permission.name})`);
      throw new NotAllowedError(
        `Missing permission ${action.permission.name} for action ${action.id}`,
      );
    }

    let input: unknown;
    try {
      input = parseInput(action.input, request.input ?? {}, `input for ${action.id}`);
    } catch (error) {
      await audit(
        'failure',
        `${action.title}: ${isError(error) ? error.message : 'invalid input'}`,
      );
      throw error;
    }

    const resource = action.resourceRef?.(input);
    const summary = action.summarize?.(input) ?? action.title;
    try {
      const output = await action.handler({
        input,
        credentials,
        actor: actorOf(credentials),
        workspace,
        logger: this.deps.logger.child({ action: action.id }),
      });
      const checked = action.output ? action.output.parse(output) : output;
      const outputRef =
        checked &&
        typeof checked === 'object' &&
        'ref' in checked &&
        typeof checked.ref === 'string'
          ? checked.ref
          : undefined;
      await audit('success', summary, resource ?? outputRef);
      return checked ?? null;
    } catch (error) {
      await audit(
        'failure',
        `${summary}: ${isError(error) ? error.message : String(error)}`,
        resource,
      );
      throw error;
    }
  }
}
