import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { join } from 'node:path';
import { keyIdOf } from '@cunyi/transparency';
import { createOnce } from '../common/private-file';
import { type AppConfig, ConfigError, VARIABLES } from '../config/config';

export const SIGNING_KEY_FILE = 'tree-head-key.pem';
export const SIGNING_KEY_TOKEN = Symbol('SIGNING_KEY');

/** The log's Ed25519 key: the private half signs tree heads, the public half is published. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  /** RFC 6962 LogID: SHA-256 of the public key's SubjectPublicKeyInfo. */
  readonly keyId: Buffer;
}

/**
 * TREE_HEAD_SIGNING_KEY when set; otherwise DATA_DIR/tree-head-key.pem, generated on first start
 * (mode 0600). The memory store keeps nothing on disk, so its key lives and dies with the process.
 */
export async function loadSigningKey(
  config: Pick<AppConfig, 'treeHeadSigningKey' | 'eventStore' | 'dataDir'>,
): Promise<SigningKey> {
  if (config.treeHeadSigningKey !== undefined) {
    return keyFrom(config.treeHeadSigningKey, VARIABLES.treeHeadSigningKey.name);
  }
  if (config.eventStore === 'memory') return keyFrom(newKeyPem(), 'a generated key');
  const file = join(config.dataDir, SIGNING_KEY_FILE);
  return keyFrom(await createOnce(file, newKeyPem), file);
}

function newKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function keyFrom(pem: string, source: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new ConfigError(
      source,
      '(a key)',
      `an Ed25519 private key in PKCS#8 PEM: ${(error as Error).message}`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(
      source,
      `(a ${privateKey.asymmetricKeyType} key)`,
      'an Ed25519 private key in PKCS#8 PEM',
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}
