/**
 * Frontend of the Racine `pipelines` group: the Job Workflow Space (job list, drag-and-drop
 * DAG builder, versions, live run view) and the pipeline templates gallery.
 *
 * @packageDocumentation
 */
export { pipelinesPlugin } from './plugin';
