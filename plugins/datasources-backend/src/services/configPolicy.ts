import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';

/** A check on a validated connector configuration, run before it is stored or tested. */
export type ConfigPolicy = (type: string, config: Record<string, unknown>) => void;

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    // Not there (yet): judge the directory it would be in.
    try {
      return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}

function isInside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * SQLite sources are files on the Racine host, so a user who may create data sources could
 * point one at Racine's own databases (auth keys, the audit trail) and have them scanned.
 * Files in Racine's database directory are refused, except the ones Racine put there for
 * users (the demo database). Symlinks are resolved first.
 */
export function sqlitePathPolicy(options: {
  reservedDirectories: string[];
  allowedFiles: string[];
}): ConfigPolicy {
  const reserved = options.reservedDirectories.map(realPath);
  const allowed = new Set(options.allowedFiles.map(realPath));
  return (type, config) => {
    if (type !== 'sqlite' || typeof config.path !== 'string') return;
    const file = realPath(path.resolve(config.path));
    if (allowed.has(file)) return;
    if (reserved.some(directory => isInside(file, directory))) {
      throw new InputError(
        `Invalid config: config.path: files in Racine's own database directory cannot be registered as data sources`,
      );
    }
  };
}
