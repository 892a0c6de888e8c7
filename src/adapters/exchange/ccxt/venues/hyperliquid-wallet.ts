// Hyperliquid signs every action with an Ethereum key. The daemon must hold an API (agent) wallet's key: it can
// trade for the account but cannot withdraw or transfer. The main wallet's key can do both, so it is refused.
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex } from '@noble/hashes/utils';

export const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
export const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** The (lower-case) address a private key signs as. */
export function addressOfKey(privateKey: string): string {
  const publicKey = secp256k1.getPublicKey(privateKey.replace(/^0x/, ''), false);
  return `0x${bytesToHex(keccak_256(publicKey.slice(1))).slice(-40)}`;
}
