// Secrets at rest: an API key in `.env` can be stored as `enc:v1:...` and is decrypted at start-up with MASTER_KEY,
// so a copied `.env` or backup alone does not give the keys away.
//
// Format v1: `enc:v1:<salt>:<iv>:<tag>:<ciphertext>`, every part base64url without padding.
//   key        = scrypt(MASTER_KEY, salt, 32 bytes, N = 2^15, r = 8, p = 1)   (32 MiB, ~0.1 s per value)
//   ciphertext = AES-256-GCM(key, iv, UTF-8 plain text), 16-byte tag, additional data "enc:v1"
//   salt: 16 random bytes per value; iv: 12 random bytes per value.
// The parameters are fixed by the version tag: changing any of them means a new version, never a silent change.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import dotenv from 'dotenv';

const PREFIX = 'enc:';
const VERSION = 'v1';
const AAD = Buffer.from(`${PREFIX}${VERSION}`, 'utf8');
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
/** Short master keys fall to a dictionary even through scrypt; refuse them when encrypting. */
export const MIN_MASTER_KEY_LENGTH = 16;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const MESSAGES = {
  noMasterKey: 'is encrypted but MASTER_KEY / MASTER_KEY_FILE is not set',
  wrongKey: 'cannot be decrypted with this MASTER_KEY (wrong key or damaged value)',
  damaged: `is not a well-formed encrypted value (expected ${PREFIX}${VERSION}:<salt>:<iv>:<tag>:<ciphertext>)`,
  unknownVersion: `is encrypted in a format this build does not know (it reads ${PREFIX}${VERSION} values)`,
} as const;

export function isEncryptedSecret(value: string): boolean {
  return value.startsWith(PREFIX);
}

function deriveKey(masterKey: string, salt: Buffer): Buffer {
  return scryptSync(masterKey.normalize('NFC'), salt, KEY_BYTES, SCRYPT);
}

export function encryptSecret(plain: string, masterKey: string): string {
  if (plain.length === 0) throw new Error('there is nothing to encrypt (the secret is empty)');
  if (isEncryptedSecret(plain)) throw new Error(`the value is already encrypted (it starts with ${PREFIX})`);
  if (masterKey.length < MIN_MASTER_KEY_LENGTH) {
    throw new Error(`MASTER_KEY must be at least ${MIN_MASTER_KEY_LENGTH} characters (e.g. openssl rand -base64 32)`);
  }
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(masterKey, salt), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [salt, iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return `${PREFIX}${VERSION}:${parts.join(':')}`;
}

interface SealedParts {
  readonly salt: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** Splits a v1 value; every failure gets one generic message, since the value itself must never be echoed. */
function parseV1(value: string): SealedParts {
  const parts = value.slice(`${PREFIX}${VERSION}:`.length).split(':');
  if (parts.length !== 4 || !parts.every((part) => BASE64URL.test(part))) throw new Error(MESSAGES.damaged);
  const [salt, iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
  if (salt.length !== SALT_BYTES || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error(MESSAGES.damaged);
  return { salt, iv, tag, ciphertext };
}

/**
 * Turns an `enc:v1:` value back into the secret. Fits `loadConfig`'s `decryptSecret` option: the messages name
 * neither the secret nor any part of the value, and the loader puts the variable's name in front of them.
 */
export function decryptSecret(value: string, masterKey: string | undefined): string {
  if (!isEncryptedSecret(value)) throw new Error(`is not an encrypted value (it does not start with ${PREFIX})`);
  if (!value.startsWith(`${PREFIX}${VERSION}:`)) throw new Error(MESSAGES.unknownVersion);
  if (!masterKey) throw new Error(MESSAGES.noMasterKey);
  const sealed = parseV1(value);
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(masterKey, sealed.salt), sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM cannot tell a wrong key from a flipped bit; either way the tag does not verify.
    throw new Error(MESSAGES.wrongKey);
  }
}

export interface MasterKeySources {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A dotenv file consulted where the environment has no value, as `loadConfig` does. */
  readonly dotenvPath?: string;
  readonly readFile?: (path: string) => string;
}

function readDotenv(path: string | undefined): Record<string, string> {
  if (!path) return {};
  try {
    return dotenv.parse(readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/**
 * The master key as the daemon would see it: MASTER_KEY, or the contents of MASTER_KEY_FILE less one trailing
 * newline, never both. For the `secrets` command, so it encrypts with exactly the key the daemon will decrypt with.
 */
export function resolveMasterKey(sources: MasterKeySources = {}): string | undefined {
  const merged = { ...readDotenv(sources.dotenvPath), ...(sources.env ?? process.env) };
  const readFile = sources.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const direct = merged.MASTER_KEY;
  const filePath = merged.MASTER_KEY_FILE;
  if (direct && filePath) throw new Error('MASTER_KEY: set both MASTER_KEY and MASTER_KEY_FILE; keep one.');
  if (!filePath) return direct || undefined;
  try {
    return readFile(filePath).replace(/\r?\n$/, '') || undefined;
  } catch {
    throw new Error(`MASTER_KEY_FILE: cannot read ${JSON.stringify(filePath)}; allowed: a readable file holding the key.`);
  }
}
