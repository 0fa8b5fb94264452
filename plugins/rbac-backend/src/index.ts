export { rbacPolicyModule as default, rbacPolicyModule } from './module';
export {
  RacinePolicyEngine,
  readRbacConfig,
  type GrantDefinition,
} from './policy/RacinePolicyEngine';
export { CasbinPermissionPolicy } from './policy/CasbinPermissionPolicy';
export { BUILTIN_ROLES, type RoleDefinition } from './policy/builtinRoles';
export { RACINE_CASBIN_MODEL, roleSubject } from './policy/model';
export { racinePolicyServiceRef } from './policy/policyEngineService';
export {
  InProcessPermissionsService,
  inProcessPermissionsServiceFactory,
} from './policy/inProcessPermissions';
