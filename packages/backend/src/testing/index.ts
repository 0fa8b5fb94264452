export * from './startRacineServer';
export { GROUPS } from '../groups';
