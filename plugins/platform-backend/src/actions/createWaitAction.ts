import { createAction } from '@racine/kernel-node';
import { z } from 'zod';

/** Waits, then returns; the workflow engine uses it as the `platform.wait` step. */
export function createWaitAction() {
  return createAction({
    id: 'platform.wait',
    title: 'Wait',
    description: 'Waits for the given number of seconds (at most one hour), then succeeds.',
    input: z.object({
      seconds: z.number().min(0).max(3600).describe('How long to wait, in seconds'),
    }),
    output: z.object({ waitedSeconds: z.number() }),
    async handler({ input }) {
      await new Promise(resolve => setTimeout(resolve, input.seconds * 1000));
      return { waitedSeconds: input.seconds };
    },
  });
}
