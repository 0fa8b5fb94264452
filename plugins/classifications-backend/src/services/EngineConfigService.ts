import crypto from 'node:crypto';
import {
  expressionRefs,
  type EngineConfig,
  type EngineRule,
  type ReviewSettings,
} from '@racine/plugin-classifications-common';
import { buildEngine, type ConfiguredEngine } from '@racine/plugin-classifications-node';
import type { SettingsStore } from '../database/SettingsStore';
import type { StoredRule } from '../database/RuleStore';
import type { ClassifierLibrary } from './ClassifierLibrary';
import { toEngineRule, type RuleService } from './RuleService';

const AUTO_APPROVE_KEY = 'review.autoApproveConfidence';

/**
 * The enabled rules plus, marked disabled, every rule an enabled composite needs (directly or
 * through other composites), so the engine can evaluate them as operands.
 */
export function engineRulesOf(live: readonly StoredRule[]): EngineRule[] {
  const byId = new Map(live.map(r => [r.id, r]));
  const needed = new Set<string>();
  const visit = (rule: StoredRule) => {
    if (rule.definition.type !== 'composite') return;
    for (const ref of expressionRefs(rule.definition.expression)) {
      const dep = byId.get(ref);
      if (dep && !needed.has(ref)) {
        needed.add(ref);
        visit(dep);
      }
    }
  };
  for (const rule of live) if (rule.enabled) visit(rule);
  return live.filter(r => r.enabled || needed.has(r.id)).map(r => toEngineRule(r));
}

/**
 * What every classifying process needs to build the engine stewards configured (served to
 * scans at `GET /engine-config`), and the engine itself, rebuilt when the revision changes.
 */
export class EngineConfigService {
  private cached: { revision: string; engine: ConfiguredEngine } | undefined;

  constructor(
    private readonly deps: {
      rules: RuleService;
      library: ClassifierLibrary;
      settings: SettingsStore;
      /** Auto-approval until a steward sets it (`classifications.autoApproveConfidence`). */
      defaultAutoApproveConfidence: number | null;
    },
  ) {}

  async reviewSettings(): Promise<ReviewSettings> {
    const stored = await this.deps.settings.getSetting<number | null>(AUTO_APPROVE_KEY);
    return stored
      ? {
          autoApproveConfidence: stored.value,
          updatedAt: stored.updatedAt,
          updatedBy: stored.updatedBy,
        }
      : {
          autoApproveConfidence: this.deps.defaultAutoApproveConfidence,
          updatedAt: null,
          updatedBy: null,
        };
  }

  async setAutoApproveConfidence(value: number | null, actor: string): Promise<ReviewSettings> {
    const stored = await this.deps.settings.putSetting<number | null>(
      AUTO_APPROVE_KEY,
      value,
      actor,
    );
    return {
      autoApproveConfidence: stored.value,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy,
    };
  }

  async config(): Promise<EngineConfig> {
    const [classifiers, live, review] = await Promise.all([
      this.deps.library.overrides(),
      this.deps.rules.liveRules(),
      this.reviewSettings(),
    ]);
    const rules = engineRulesOf(live);
    // What changes labels, only: scans rescan unchanged tables when the revision changes.
    const revision = crypto
      .createHash('sha256')
      .update(JSON.stringify({ classifiers, rules }))
      .digest('hex')
      .slice(0, 16);
    return { revision, classifiers, rules, autoApproveConfidence: review.autoApproveConfidence };
  }

  /** The configured engine (every classifier and rule that attaches labels). */
  async engine(): Promise<ConfiguredEngine> {
    const config = await this.config();
    if (this.cached?.revision !== config.revision) {
      this.cached = { revision: config.revision, engine: buildEngine(config) };
    }
    return this.cached.engine;
  }

  /**
   * The configured engine with `rule` added (or replacing its saved version), enabled: what
   * the engine would do once the rule is saved.
   */
  async engineWith(rule: EngineRule): Promise<ConfiguredEngine> {
    const config = await this.config();
    const live = await this.deps.rules.liveRules();
    const others = engineRulesOf(live).filter(r => r.id !== rule.id);
    // Rules the candidate refers to must be there even when they are disabled.
    const present = new Set(others.map(r => r.id));
    const extra = live
      .filter(r => r.id !== rule.id && !present.has(r.id))
      .map(r => toEngineRule(r, false));
    return buildEngine({
      ...config,
      revision: `${config.revision}+test`,
      rules: [...others, ...extra, { ...rule, enabled: true }],
    });
  }
}
