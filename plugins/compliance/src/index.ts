/**
 * Frontend of the Racine `compliance` group: frameworks with scores and trends, requirement
 * drill-down, the findings inbox, rules with a live test, waiver approvals and reports.
 *
 * @packageDocumentation
 */
export { compliancePlugin } from './plugin';
