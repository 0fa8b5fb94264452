import {
  buildEngine,
  DEFAULT_ENGINE_CONFIG,
  type Category,
  type ColumnClassifier,
  type EngineConfig,
  type Label,
} from '@racine/plugin-classifications-node';
import type { z } from 'zod';
import type { ingestLabelSchema } from '@racine/plugin-data-catalog-common';
import type { RuleSetFilters } from '@racine/plugin-scan-rulesets-common';

export type IngestLabel = z.input<typeof ingestLabelSchema>;

/**
 * The engine stewards configured (`GET /api/classifications/engine-config`: built-in overrides
 * and custom rules) narrowed to the rule set's classifiers and confidence floor; the built-in
 * defaults when the classifications group is off (`config` null). A rule set names classifiers
 * by id and by category; a category matches a classifier's categories or its id prefix, so
 * `FIN` selects `FIN.IBAN` as `FINANCIAL` does (and `ACME` every `ACME.*` custom rule).
 */
export function createConfiguredEngine(
  filters: RuleSetFilters,
  config: EngineConfig | null,
): ColumnClassifier {
  return buildEngine(config ?? DEFAULT_ENGINE_CONFIG, {
    minConfidence: filters.definition.classifiers.minConfidence,
    select: (c: { id: string; categories: readonly Category[] }) =>
      filters.includesClassifier(c.id, [...c.categories, c.id.split('.')[0] ?? c.id]),
  });
}

/** One table's sample, as the classifier sees it (values stay in memory, never stored). */
export interface ClassifyRequest {
  schema: string;
  table: string;
  /** Every column of the table: context for the name rules. */
  neighbourColumns: string[];
  /** The sampled columns, in the order of each row's values. */
  columns: { name: string; dataType?: string; comment?: string }[];
  rows: unknown[][];
}

/** The labels of each sampled column, in the order of `request.columns`. */
export function classifySample(
  engine: ColumnClassifier,
  request: ClassifyRequest,
): IngestLabel[][] {
  return request.columns.map((column, index) =>
    engine
      .classifyColumn(
        {
          name: column.name,
          tableName: request.table,
          schemaName: request.schema,
          dataType: column.dataType,
          comment: column.comment,
          neighbourColumns: request.neighbourColumns,
        },
        request.rows.map(values => values[index]),
      )
      .map(toIngestLabel),
  );
}

/**
 * The change fingerprint a table's scan state keeps: the connector's with the revision of the
 * classification configuration, so an incremental scan after a steward changed classifiers or
 * custom rules classifies unchanged tables again.
 */
export function scanStateFingerprint(fingerprint: string, classificationRevision: string): string {
  return `${fingerprint}@classifications:${classificationRevision}`;
}

/** The engine's label in the catalog's ingest shape: signals that explain it, masked examples. */
export function toIngestLabel(label: Label): IngestLabel {
  const { evidence } = label;
  const signals: IngestLabel['evidence']['signals'] = [
    { kind: 'summary', description: evidence.summary },
  ];
  if (evidence.nameMatch) {
    signals.push({
      kind: 'name',
      description: `${evidence.nameMatch.source === 'comment' ? 'Comment' : 'Column name'} matches "${evidence.nameMatch.term}" (${evidence.nameMatch.strength})`,
      weight: evidence.nameMatch.strength === 'strong' ? 0.8 : 0.4,
    });
  }
  if (evidence.matchShare !== null) {
    signals.push({
      kind: 'values',
      description: `${Math.round(evidence.matchShare * 100)}% of ${evidence.distinctValues} distinct sampled values match`,
      weight: evidence.matchShare,
    });
  }
  if (evidence.validator) {
    signals.push({
      kind: 'validator',
      description: `${evidence.validator.name} checksum passed for ${evidence.validator.passed} of ${evidence.validator.checked} values`,
    });
  }
  if (evidence.dictionary) {
    signals.push({
      kind: 'dictionary',
      description: `${evidence.dictionary.hits} values found in the ${evidence.dictionary.name} dictionary`,
    });
  }
  if (evidence.contextWords.length > 0) {
    signals.push({
      kind: 'context',
      description: `Context words: ${evidence.contextWords.join(', ')}`,
    });
  }
  for (const negative of evidence.negativeSignals) {
    signals.push({ kind: 'negative', description: negative });
  }
  return {
    classifierId: label.classifierId,
    confidence: label.confidence,
    // The catalog derives an asset's sensitivity (and ABAC ceilings) from its labels.
    sensitivity: label.sensitivity,
    categories: [...label.categories],
    evidence: {
      signals,
      maskedExamples: evidence.examples.slice(0, 3),
      ...(evidence.matchShare === null ? {} : { matchRatio: evidence.matchShare }),
      sampleSize: evidence.sampledValues,
    },
  };
}
