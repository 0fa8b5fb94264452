export * from './resourceAccess';
export * from './workspaceAccess';
export * from './routeRegistry';
export * from './expressRoutes';
