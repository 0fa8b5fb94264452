import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { RuleTestResult, testRuleRequestSchema } from '@racine/plugin-classifications-common';
import type { ColumnInfo } from '@racine/plugin-classifications-node';
import type { z } from 'zod';
import type { EngineConfigService } from './EngineConfigService';
import type { LiveSample, LiveSampler } from './LiveSampler';
import { toEngineRule, type RuleService } from './RuleService';

/** The id a definition is tested under when it belongs to no saved rule yet. */
export const UNSAVED_RULE_ID = 'TEST.UNSAVED_RULE';

export type TestRuleInput = z.infer<typeof testRuleRequestSchema>;

/**
 * Runs a rule — a definition before it is saved, or a saved rule — against pasted values or a
 * live column's sample, in the engine as it is configured (so composites see the real rules).
 * Raw values never leave: the result carries masked examples and, for pasted values only,
 * which of them matched.
 */
export class RuleTester {
  constructor(
    private readonly deps: {
      rules: RuleService;
      config: EngineConfigService;
      sampler: LiveSampler;
    },
  ) {}

  async test(
    input: TestRuleInput,
    credentials: BackstageCredentials,
  ): Promise<{ result: RuleTestResult; sample?: LiveSample }> {
    const saved = input.ruleId ? await this.deps.rules.find(input.ruleId) : undefined;
    if (input.ruleId && !input.definition && !saved)
      throw new NotFoundError(`Custom rule '${input.ruleId}' does not exist`);
    const id = input.ruleId ?? UNSAVED_RULE_ID;
    const definition = input.definition ?? saved!.definition;
    if (input.definition) await this.deps.rules.validate(id, definition);
    const engine = await this.deps.config.engineWith({
      ...(saved
        ? toEngineRule(saved)
        : {
            id,
            version: 1,
            name: 'Rule under test',
            description: '',
            categories: ['PII'],
            sensitivity: 'CONFIDENTIAL',
          }),
      enabled: true,
      definition,
    });

    let values: readonly unknown[];
    let sample: LiveSample | undefined;
    let column: ColumnInfo;
    if (input.source) {
      sample = await this.deps.sampler.sample(input.source, input.sampleSize, credentials);
      values = sample.values;
      column = {
        name: sample.column,
        tableName: sample.table,
        schemaName: sample.schema,
        ...(input.column
          ? {
              dataType: input.column.dataType,
              comment: input.column.comment,
              neighbourColumns: input.column.neighbourColumns,
            }
          : {}),
      };
    } else {
      values = input.values ?? [];
      column = input.column ?? { name: 'values', tableName: '' };
    }
    const outcome = engine.explainRule(id, column, values);
    const result: RuleTestResult = {
      fired: outcome.fired,
      confidence: outcome.confidence,
      threshold: outcome.threshold,
      evidence: { ...outcome.evidence, contextWords: [...outcome.evidence.contextWords] },
      ...(outcome.operands ? { operands: outcome.operands } : {}),
    };
    if (sample) {
      result.sample = {
        dataSourceId: sample.dataSourceId,
        schema: sample.schema,
        table: sample.table,
        column: sample.column,
        rows: sample.values.length,
      };
    } else if (outcome.matches) {
      result.matches = outcome.matches;
    }
    return { result, sample };
  }
}
