// The address an Ethereum private key signs as. Hyperliquid's main wallet key can withdraw; the configuration
// refuses a key whose address is the traded account's own (the main wallet), before anything is sent.
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex } from '@noble/hashes/utils';

export function signerAddress(privateKey: string): string {
  const publicKey = secp256k1.getPublicKey(privateKey.replace(/^0x/, ''), false);
  return `0x${bytesToHex(keccak_256(publicKey.slice(1))).slice(-40)}`;
}
