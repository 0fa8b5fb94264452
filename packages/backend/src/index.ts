import { createRacineBackend } from './createRacineBackend';

createRacineBackend().start();
