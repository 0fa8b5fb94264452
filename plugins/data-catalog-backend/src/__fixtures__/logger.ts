import type { LoggerService } from '@backstage/backend-plugin-api';
import { vi } from 'vitest';

/** A logger that records its calls and prints nothing. */
export function testLogger(): LoggerService {
  const logger = {
    warn: vi.fn(),
    info: vi.fn(),
    error: vi.fn(),
    debug: vi.fn(),
    child: vi.fn(() => logger),
  };
  return logger as unknown as LoggerService;
}
