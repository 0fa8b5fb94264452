import { NotFoundError } from '@backstage/errors';
import {
  classifierCategories,
  sensitivityLevels,
  type ClassifierCategory,
  type ClassifierDetails,
  type ClassifierOverride,
  type ClassifierSummary,
  type ListClassifiersResponse,
  type SensitivityLevel,
  type UpdateClassifierRequest,
} from '@racine/plugin-classifications-common';
import {
  BUILTIN_CLASSIFIERS,
  fold,
  maskAll,
  type Classifier,
} from '@racine/plugin-classifications-node';
import type { ClassifierSetting, SettingsStore } from '../database/SettingsStore';

/** What values prove for a classifier, in a few words. */
function valueEvidenceOf(c: Classifier): string {
  const vm = c.value;
  if (!vm) return 'column name only';
  if (vm.validator) return `checksum (${vm.validator})`;
  if (vm.dictionary) return `dictionary (${vm.dictionary})`;
  if ((vm.maxStrength ?? 1) < 0.5) return 'value shape, with name support';
  return 'value format';
}

export interface ClassifierListFilter {
  q?: string;
  category?: ClassifierCategory;
  enabled?: boolean;
}

/**
 * The built-in classifier library with stewards' overrides (enabled, threshold, sensitivity,
 * categories). Overrides are stored per classifier; a reset field falls back to the default.
 */
export class ClassifierLibrary {
  private readonly byId = new Map(BUILTIN_CLASSIFIERS.map(c => [c.id, c]));

  constructor(private readonly deps: { settings: SettingsStore }) {}

  has(id: string): boolean {
    return this.byId.has(id);
  }

  name(id: string): string | undefined {
    return this.byId.get(id)?.name;
  }

  async list(filter: ClassifierListFilter = {}): Promise<ListClassifiersResponse> {
    const settings = new Map(
      (await this.deps.settings.listClassifierSettings()).map(s => [s.classifierId, s]),
    );
    const q = filter.q ? fold(filter.q) : undefined;
    const items = BUILTIN_CLASSIFIERS.map(c => this.summary(c, settings.get(c.id)))
      .filter(c => !q || fold(`${c.id} ${c.name} ${c.description}`).includes(q))
      .filter(c => !filter.category || c.categories.includes(filter.category))
      .filter(c => filter.enabled === undefined || c.enabled === filter.enabled);
    return { items, categories: [...classifierCategories], sensitivities: [...sensitivityLevels] };
  }

  async get(id: string): Promise<ClassifierDetails> {
    const classifier = this.byId.get(id);
    if (!classifier) throw new NotFoundError(`Classifier '${id}' does not exist`);
    return this.details(classifier, await this.deps.settings.getClassifierSetting(id));
  }

  /** Applies a partial update; `null` resets a field to the classifier's default. */
  async update(
    id: string,
    patch: UpdateClassifierRequest,
    actor: string,
  ): Promise<ClassifierDetails> {
    const classifier = this.byId.get(id);
    if (!classifier) throw new NotFoundError(`Classifier '${id}' does not exist`);
    const current = await this.deps.settings.getClassifierSetting(id);
    const pick = <K extends 'enabled' | 'threshold' | 'sensitivity' | 'categories'>(key: K) =>
      (patch[key] === undefined ? (current?.[key] ?? null) : patch[key]) as ClassifierSetting[K];
    const setting: ClassifierSetting = {
      classifierId: id,
      enabled: pick('enabled'),
      threshold: pick('threshold'),
      sensitivity: pick('sensitivity'),
      categories: pick('categories'),
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
    };
    // A value equal to the default is no override.
    if (setting.enabled === true) setting.enabled = null;
    if (setting.threshold === classifier.threshold) setting.threshold = null;
    if (setting.sensitivity === classifier.sensitivity) setting.sensitivity = null;
    if (setting.categories && sameSet(setting.categories, classifier.categories))
      setting.categories = null;
    await this.deps.settings.putClassifierSetting(setting);
    return this.get(id);
  }

  /** The overrides as the engine configuration carries them. */
  async overrides(): Promise<Record<string, ClassifierOverride>> {
    const out: Record<string, ClassifierOverride> = {};
    for (const s of await this.deps.settings.listClassifierSettings()) {
      if (!this.byId.has(s.classifierId)) continue;
      const o: ClassifierOverride = {};
      if (s.enabled !== null) o.enabled = s.enabled;
      if (s.threshold !== null) o.threshold = s.threshold;
      if (s.sensitivity !== null) o.sensitivity = s.sensitivity;
      if (s.categories !== null) o.categories = s.categories;
      if (Object.keys(o).length > 0) out[s.classifierId] = o;
    }
    return out;
  }

  private summary(c: Classifier, s: ClassifierSetting | undefined): ClassifierSummary {
    const defaults = {
      categories: [...c.categories] as ClassifierCategory[],
      sensitivity: c.sensitivity as SensitivityLevel,
      threshold: c.threshold,
    };
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      kind: 'builtin',
      categories: s?.categories ?? defaults.categories,
      sensitivity: s?.sensitivity ?? defaults.sensitivity,
      threshold: s?.threshold ?? defaults.threshold,
      enabled: s?.enabled ?? true,
      defaults,
      overridden: s !== undefined,
      valueEvidence: valueEvidenceOf(c),
      updatedAt: s?.updatedAt ?? null,
      updatedBy: s?.updatedBy ?? null,
    };
  }

  private details(c: Classifier, s: ClassifierSetting | undefined): ClassifierDetails {
    const mask = c.value?.mask ?? maskAll;
    return {
      ...this.summary(c, s),
      examples: [...c.examples],
      maskedExamples: c.examples.map(e => mask(e)),
      names: {
        strong: [...(c.names?.strong ?? [])],
        weak: [...(c.names?.weak ?? [])],
        context: [...(c.names?.context ?? [])],
        exclude: [...(c.names?.exclude ?? [])],
      },
      validator: c.value?.validator ?? null,
      dictionary: c.value?.dictionary ?? null,
      minDistinct: c.value?.minDistinct ?? null,
    };
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every(x => b.includes(x));
}
