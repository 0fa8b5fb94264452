import type { LabelEvidence } from '@racine/plugin-data-catalog-common';

/**
 * When does a rescan's evidence change "materially", so that a label a person rejected is
 * suggested again? A rejection is a judgement on the data as it was; it holds until the data
 * looks different:
 *
 * - the share of sampled values matching moved by at least 0.2 (e.g. 0.35 → 0.80), or value
 *   evidence appeared or disappeared (a label rejected on its column name alone, whose values
 *   now match); or
 * - with value evidence on both sides, the confidence moved into another band (below 0.5,
 *   0.5–0.7, 0.7–0.9, 0.9 and above) by at least 0.1 (checksums now pass, negative signals went
 *   away), so sampling jitter around a band edge does not count.
 *
 * A label judged without value evidence (on its name alone) stays judged until values support
 * it. Otherwise the rejection stands and the stored evidence (the one people judged) is kept.
 */
export const MATERIAL_MATCH_RATIO_CHANGE = 0.2;
export const CONFIDENCE_BAND_EDGES = [0.5, 0.7, 0.9] as const;
export const MATERIAL_CONFIDENCE_CHANGE = 0.1;

export interface JudgedEvidence {
  confidence: number;
  evidence: Pick<LabelEvidence, 'matchRatio'>;
}

function band(confidence: number): number {
  return CONFIDENCE_BAND_EDGES.filter(edge => confidence >= edge).length;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Why the new evidence differs materially from the judged one, or null when it does not. */
export function materialChange(judged: JudgedEvidence, incoming: JudgedEvidence): string | null {
  const before = judged.evidence.matchRatio;
  const after = incoming.evidence.matchRatio;
  if (
    before !== undefined &&
    after !== undefined &&
    Math.abs(after - before) >= MATERIAL_MATCH_RATIO_CHANGE - 1e-9
  ) {
    return `share of matching values moved from ${round(before)} to ${round(after)}`;
  }
  if (before === undefined && after !== undefined)
    return `values now support it (${round(after)} match)`;
  if (before !== undefined && after === undefined) return 'values no longer counted';
  // Judged on the name alone: only values can change the judgement.
  if (before === undefined || after === undefined) return null;
  const delta = Math.abs(incoming.confidence - judged.confidence);
  if (
    band(incoming.confidence) !== band(judged.confidence) &&
    delta >= MATERIAL_CONFIDENCE_CHANGE - 1e-9
  ) {
    return `confidence moved from ${round(judged.confidence)} to ${round(incoming.confidence)}`;
  }
  return null;
}
