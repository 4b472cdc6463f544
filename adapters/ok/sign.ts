import { createHash } from 'node:crypto';

export type OkParamValue = string | number | boolean | object;

export interface OkSignKeys {
  applicationSecretKey: string;
  /** Present for calls made on behalf of a user/session; absent for application-only calls. */
  accessToken?: string;
}

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex').toLowerCase();

/** OK's per-session secret: md5(access_token + application_secret_key), or the app secret alone without a session. */
export function okSessionSecret(keys: OkSignKeys): string {
  return keys.accessToken ? md5(keys.accessToken + keys.applicationSecretKey) : keys.applicationSecretKey;
}

/** Parameters never included in the signed string (apiok.ru, ok-js-sdk `calcSignature`). */
const UNSIGNED = new Set(['sig', 'access_token', 'session_key']);

/** How a parameter travels on the wire; objects are JSON, as ok-js-sdk does before signing. */
export function okParamToString(v: OkParamValue): string {
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/**
 * The documented OK request signature: drop sig/access_token/session_key, sort by key,
 * concatenate `k=v` with raw UTF-8 values, then lower(md5(concat + secret)).
 */
export function signOkParams(params: Record<string, OkParamValue>, keys: OkSignKeys): string {
  const concat = Object.keys(params)
    .filter((k) => !UNSIGNED.has(k) && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${okParamToString(params[k] as OkParamValue)}`)
    .join('');
  return md5(concat + okSessionSecret(keys));
}
