// @racine/plugin-classifications-node: a pure, offline engine that finds sensitive data in
// sampled column values and explains every label it attaches.

export * from './types.js';
export {
  ClassificationEngine,
  engineOptionsSchema,
  type ValueMatch,
  type ValueScan,
} from './engine.js';
export * from './classifiers/index.js';
export {
  compileNameRules,
  scoreName,
  columnContext,
  type ColumnContext,
  type CompiledNameRules,
  type NameScore,
} from './names.js';
export { detectSignals, type ColumnSignals } from './negatives.js';
export { dictionaries, dictionaryKey, type Dictionaries } from './dictionaries/index.js';
export {
  fold,
  foldedText,
  valueToText,
  shapeOf,
  computeShape,
  newShape,
  digitsOnly,
  tokenizeName,
} from './text.js';
export {
  abaChecksum,
  base58Check,
  bech32Check,
  brCpfCheck,
  caSinCheck,
  cardNetwork,
  deTaxIdCheck,
  ean13,
  esNifCheck,
  frInseeCheck,
  IBAN_LENGTHS,
  isbn10,
  isValidIban,
  itFiscalCodeCheck,
  luhn,
  mod97,
  nhsMod11,
  npiCheck,
  ssnStructure,
  verhoeff,
  vinCheckDigit,
} from './validators.js';
export {
  maskAll,
  maskCardNumber,
  maskEmail,
  maskHead,
  maskKeepEnds,
  maskSecret,
  maskTail,
  maskWords,
} from './mask.js';
export {
  evaluate,
  type EvalColumn,
  type EvalReport,
  type ClassifierMetrics,
} from './evaluation.js';
export {
  buildEngine,
  ConfiguredEngine,
  DEFAULT_ENGINE_CONFIG,
  type BuildEngineOptions,
  type ColumnClassifier,
  type ConfiguredClassifier,
} from './configuredEngine.js';
export {
  compileRule,
  compileRulePattern,
  compileRules,
  findCycle,
  MAX_REGEX_INPUT,
  prepareColumn,
  RuleCompileError,
  ruleLabel,
  summarizeRuleDefinition,
  type CompiledRule,
  type OperandResolver,
  type PreparedColumn,
  type RuleOutcome,
} from './customRules.js';
export {
  engineConfigSchema,
  customRuleDefinitionSchema,
  type EngineConfig,
  type EngineConfigInput,
  type EngineRule,
  type CustomRuleDefinition,
  type CompositeExpression,
} from '@racine/plugin-classifications-common';
