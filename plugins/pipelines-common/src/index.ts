/**
 * @racine/plugin-pipelines-common: permissions, job definition schemas, states, dynamic
 * values and graph validation of job workflows, shared by the pipelines backend and frontend.
 */
export * from './permissions';
export * from './states';
export * from './definition';
export * from './builtinSteps';
export * from './dynamicValues';
export * from './validation';
export * from './api';
