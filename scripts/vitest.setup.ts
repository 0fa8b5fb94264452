import { vi } from 'vitest';

// Backstage's `mockServices.*.mock()` helpers call `jest.fn`; alias it so they work under vitest.
(globalThis as unknown as { jest: typeof vi }).jest = vi;
