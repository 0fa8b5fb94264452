import type { Classifier } from '../types.js';
import { FIN_CLASSIFIERS } from './fin.js';
import { GOV_CLASSIFIERS } from './gov.js';
import { PHI_CLASSIFIERS } from './phi.js';
import { PII_CLASSIFIERS } from './pii.js';
import { SECRET_CLASSIFIERS } from './secret.js';

export * from './fin.js';
export * from './gov.js';
export * from './phi.js';
export * from './pii.js';
export * from './secret.js';
export { defineClassifier, parseAmount, parseDate, shapeKey } from './common.js';

/** Every built-in classifier, in a stable order. */
export const BUILTIN_CLASSIFIERS: readonly Classifier[] = [
  ...PII_CLASSIFIERS,
  ...GOV_CLASSIFIERS,
  ...FIN_CLASSIFIERS,
  ...PHI_CLASSIFIERS,
  ...SECRET_CLASSIFIERS,
];
