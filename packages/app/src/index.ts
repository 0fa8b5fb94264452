// Package entry for tooling (typecheck, tests); the browser entry is src/index.tsx via index.html.
export { app } from './App';
export { groupFrontendPlugins, enabledGroupIds } from './groups';
