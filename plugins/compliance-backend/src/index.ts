export { compliancePlugin as default } from './plugin';
export { EvaluationService } from './services/EvaluationService';
export { ComplianceStore } from './database/ComplianceStore';
export { migrateComplianceDatabase } from './database/migrations';
