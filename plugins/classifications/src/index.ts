/**
 * Frontend of the Racine `classifications` group: the review queue, the classifier library,
 * custom rules with live tests, accuracy, and `LabelEvidencePanel` for other plugins' pages
 * (the data catalog's column page shows a column's labels with it).
 *
 * @packageDocumentation
 */
export { classificationsPlugin } from './plugin';
export { LabelEvidencePanel, type LabelEvidencePanelProps } from './components/LabelEvidencePanel';
