import type {
  ActionDefinition,
  NavigationRegistration,
  PermissionRegistration,
  Registered,
  SearchProvider,
  WorkflowStepRegistration,
} from './types';

/**
 * The shared store behind the five extension points. Plugins write through their
 * plugin-scoped registry services (which stamp the plugin id); the kernel reads it at
 * request time, so plugin init order does not matter.
 */
export class KernelRegistries {
  readonly navigation: Registered<NavigationRegistration>[] = [];
  readonly search: Registered<SearchProvider>[] = [];
  readonly actions = new Map<string, Registered<ActionDefinition>>();
  readonly workflowSteps = new Map<string, Registered<WorkflowStepRegistration>>();
  readonly permissions: Registered<PermissionRegistration>[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly isGroupEnabled: (pluginId: string) => boolean = () => true) {}

  /** Registrations of a switched-off group are dropped, so it leaves no trace anywhere. */
  accepts(pluginId: string): boolean {
    return this.isGroupEnabled(pluginId);
  }

  addNavigation(pluginId: string, item: NavigationRegistration) {
    if (!this.accepts(pluginId)) return;
    if (this.navigation.some(n => n.item.id === item.id)) {
      throw new Error(`Navigation item '${item.id}' is already registered`);
    }
    this.navigation.push({ pluginId, item });
    this.changed();
  }

  addSearchProvider(pluginId: string, provider: SearchProvider) {
    if (!this.accepts(pluginId)) return;
    this.search.push({ pluginId, item: provider });
    this.changed();
  }

  addAction(pluginId: string, action: ActionDefinition) {
    if (!this.accepts(pluginId)) return;
    if (!action.id.startsWith(`${pluginId}.`)) {
      throw new Error(
        `Action '${action.id}' must be named '${pluginId}.<verb>' by plugin '${pluginId}'`,
      );
    }
    if (this.actions.has(action.id)) {
      throw new Error(`Action '${action.id}' is already registered`);
    }
    this.actions.set(action.id, { pluginId, item: action });
    this.changed();
  }

  addWorkflowStep(pluginId: string, step: WorkflowStepRegistration) {
    if (!this.accepts(pluginId)) return;
    if (this.workflowSteps.has(step.id)) {
      throw new Error(`Workflow step '${step.id}' is already registered`);
    }
    this.workflowSteps.set(step.id, { pluginId, item: step });
    this.changed();
  }

  addPermissions(pluginId: string, registration: PermissionRegistration) {
    if (!this.accepts(pluginId)) return;
    this.permissions.push({ pluginId, item: registration });
    this.changed();
  }

  /** Called whenever a registration lands (e.g. to rebuild the policy). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const listener of this.listeners) listener();
  }
}
