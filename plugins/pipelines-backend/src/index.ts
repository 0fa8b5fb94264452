/**
 * @racine/plugin-pipelines-backend: job workflows and pipelines, a Databricks-class
 * orchestration engine over the kernel's actions, workflow steps and TaskQueue.
 */
export { pipelinesPlugin as default, pipelinesPlugin } from './plugin';
