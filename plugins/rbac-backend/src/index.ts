/**
 * @racine/plugin-rbac-backend: Racine's access control. The `rbac` plugin (administration API),
 * the permission-policy module, the `native` and `oidc` sign-in modules, and the service
 * factories every Racine backend installs (in-process permissions, API-key aware httpAuth,
 * workspace access).
 */
export { rbacPlugin as default, rbacPlugin } from './plugin';
export { rbacPolicyModule } from './module';
export { nativeAuthModule, oidcAuthModule } from './auth/authModules';
export { apiKeyHttpAuthServiceFactory, ApiKeyHttpAuthService } from './auth/apiKeyHttpAuth';
export { NATIVE_SESSION_COOKIE, SESSION_REQUEST_HEADER } from './auth/nativeProvider';
export { RacinePolicyEngine, readRbacConfig } from './policy/RacinePolicyEngine';
export { CompiledPolicy } from './policy/CompiledPolicy';
export { CasbinPermissionPolicy } from './policy/CasbinPermissionPolicy';
export { BUILTIN_ROLES, type RoleDefinition } from './policy/builtinRoles';
export { RACINE_CASBIN_MODEL, roleSubject } from './policy/model';
export { racinePolicyEngineServiceRef, racinePolicyServiceRef } from './policy/policyEngineService';
export {
  InProcessPermissionsService,
  inProcessPermissionsServiceFactory,
  apiKeyScopes,
} from './policy/inProcessPermissions';
export { workspaceAccessServiceFactory } from './policy/workspaceAccess';
export { PolicyStore } from './database/PolicyStore';
export { migrateRbacDatabase } from './database/migrations';
export { accountServiceRef, apiKeyServiceRef } from './services/serviceRefs';
export { hashPassword, verifyPassword } from './services/passwords';
