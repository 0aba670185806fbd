/**
 * Keyed derivations for de-identification, all HMAC-SHA-256 (crypto.subtle) under a key made from the
 * host's salt: replacement UIDs, pseudonymous IDs and the per-patient date offset. Same salt, same results,
 * in any page or worker; without the salt they cannot be linked back to the originals.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';

const keys = new Map<string, Promise<CryptoKey>>();
let sessionKey: Promise<CryptoKey> | undefined;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'De-identification needs crypto.subtle (a secure context: https or localhost)',
    );
  }
  return s;
}

function importKey(raw: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', raw as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * The HMAC key for a salt. Without a salt, one random key per page (or worker), so output is consistent
 * within the page but cannot be reproduced elsewhere.
 */
export function keyFor(salt: string | undefined): Promise<CryptoKey> {
  if (salt === undefined) {
    sessionKey ??= importKey(crypto.getRandomValues(new Uint8Array(32)));
    return sessionKey;
  }
  let key = keys.get(salt);
  if (!key) {
    key = importKey(new TextEncoder().encode(salt));
    if (keys.size > 64) keys.clear();
    keys.set(salt, key);
  }
  return key;
}

/** HMAC-SHA-256 of a text message. */
export async function hmac(key: CryptoKey, message: string): Promise<Uint8Array> {
  const mac = await subtle().sign('HMAC', key, new TextEncoder().encode(message) as BufferSource);
  return new Uint8Array(mac);
}

/**
 * The replacement for a UID: `2.25.` followed by the decimal value of the HMAC of the UID, truncated to
 * 128 bits (PS3.5 B.2: a UUID-sized integer under the 2.25 root). At most 44 characters.
 */
export async function replacementUid(key: CryptoKey, uid: string): Promise<string> {
  const mac = await hmac(key, uid);
  let n = 0n;
  for (let i = 0; i < 16; i++) n = (n << 8n) | BigInt(mac[i]!);
  return `2.25.${n.toString(10)}`;
}

/** A pseudonym for an identifier: `prefix` plus 16 hex digits of its HMAC (in a namespace of its own). */
export async function pseudonym(
  key: CryptoKey,
  namespace: string,
  value: string,
  prefix = 'VX',
): Promise<string> {
  const mac = await hmac(key, `${namespace}:${value}`);
  let hex = '';
  for (let i = 0; i < 8; i++) hex += mac[i]!.toString(16).padStart(2, '0');
  return prefix + hex.toUpperCase();
}

/** Smallest and largest date shift, in days back in time. */
export const DATE_SHIFT_DAYS = { min: 365, max: 3650 } as const;

/**
 * The per-patient date offset in whole days: negative, between one and ten years back, derived from the
 * patient's original identity so every file of the patient shifts alike.
 */
export async function dateOffsetDays(key: CryptoKey, patientIdentity: string): Promise<number> {
  const mac = await hmac(key, `date-offset:${patientIdentity}`);
  const n = ((mac[0]! << 24) | (mac[1]! << 16) | (mac[2]! << 8) | mac[3]!) >>> 0;
  return -(DATE_SHIFT_DAYS.min + (n % (DATE_SHIFT_DAYS.max - DATE_SHIFT_DAYS.min + 1)));
}
