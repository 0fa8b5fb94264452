export * from './startRacineServer';
