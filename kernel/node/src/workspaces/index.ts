export * from './WorkspaceService';
