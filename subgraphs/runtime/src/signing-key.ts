import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface SigningKey {
  privateKey: KeyLike;
  /** The public half as published in the JWKS, with `kid`, `alg` and `use`. */
  publicJwk: JWK;
}

async function toSigningKey(privateJwk: JWK): Promise<SigningKey> {
  const { d: _private, ...publicPart } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicPart));
  return {
    privateKey: (await importJWK(privateJwk, SIGNING_ALGORITHM)) as KeyLike,
    publicJwk: { ...publicPart, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
  };
}

/**
 * Loads the Ed25519 signing key from `file` (a private JWK), creating it on first start. The file is
 * written with mode 0600 and never committed; concurrent first starts agree on one key ('wx' flag).
 */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  try {
    return await toSigningKey(JSON.parse(await readFile(file, 'utf8')) as JWK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read signing key ${file}: ${String(error)}`);
  }
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const { d: _private, ...publicPart } = jwk;
  const privateJwk = { ...jwk, kid: await calculateJwkThumbprint(publicPart) };
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(file);
    throw error;
  }
  return toSigningKey(privateJwk);
}
