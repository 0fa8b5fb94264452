import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

const VERSION = 'v1';

/**
 * Encrypts secrets at rest with AES-256-GCM. Sealed values look like
 * `v1:<iv>:<tag>:<ciphertext>` (base64url) and carry the key id so keys can rotate later.
 * Never log what goes in or comes out.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The secrets key must be 32 bytes (AES-256)');
    this.key = key;
  }

  /** Accepts a 32-byte key as base64 or 64 hex characters. */
  static fromString(encoded: string): SecretBox {
    const trimmed = encoded.trim();
    const key = /^[0-9a-f]{64}$/i.test(trimmed)
      ? Buffer.from(trimmed, 'hex')
      : Buffer.from(trimmed, 'base64');
    return new SecretBox(key);
  }

  seal(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join(':');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('Not a sealed secret');
    }
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}

/**
 * The key comes from `racine.secrets.key` (or RACINE_SECRETS_KEY). Without one, the embedded
 * default generates a key file in RACINE_DATA_DIR (mode 0600) on first start; production
 * config must set the key, since replicas have to share it.
 */
export function loadSecretBox(options: { configuredKey?: string; dataDir?: string }): SecretBox {
  const configured = options.configuredKey ?? process.env.RACINE_SECRETS_KEY;
  if (configured) return SecretBox.fromString(configured);
  const dir = path.resolve(options.dataDir ?? process.env.RACINE_DATA_DIR ?? 'data');
  const file = path.join(dir, 'secrets.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // 'wx' fails if another process created the file in the meantime; then read theirs.
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return SecretBox.fromString(fs.readFileSync(file, 'utf8'));
}

export const secretBoxServiceRef = createServiceRef<SecretBox>({
  id: 'racine.kernel.secrets',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) =>
        loadSecretBox({
          configuredKey: config.getOptionalString('racine.secrets.key'),
          dataDir: config.getOptionalString('racine.dataDir'),
        }),
    }),
});
