// Mints faasmjs-gateway tokens in a Node backend that holds the gateway's --token-key-file key, the same
// ones `faasmjs-gateway token` prints (docs/protocol.md, "Tokens"). Node only (node:crypto); never ship
// the key to a browser: the backend mints a token for the user it has logged in and hands the page that.
//
//   import { mintToken, readTokenKey } from 'faasmjs/auth/mint-token.js';
//   const token = mintToken({ key: readTokenKey('/etc/faasmjs/token.key'), user: 'alice', role: 'invoke' });
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const ROLES = ['invoke', 'upload', 'admin'];
const USER = /^[A-Za-z0-9-]{1,64}$/;

/** The key in a key file as the gateway reads it: its bytes, less one trailing newline. */
export function readTokenKey(file) {
  const bytes = readFileSync(file);
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end -= 1;
  if (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
  return bytes.subarray(0, end);
}

/**
 * @param {{ key: string | Uint8Array, user: string, role?: 'invoke' | 'upload' | 'admin', ttlSeconds?: number,
 *   now?: number }} options now in milliseconds (default Date.now())
 * @returns {string} fjs1.USER.ROLE.EXPIRY.SIGNATURE
 */
export function mintToken({ key, user, role = 'invoke', ttlSeconds = 3600, now = Date.now() }) {
  if (!USER.test(user)) throw new TypeError(`mintToken: a user is 1-64 characters of A-Z, a-z, 0-9 and -, not '${user}'`);
  if (!ROLES.includes(role)) throw new TypeError(`mintToken: role is one of ${ROLES.join(', ')}, not '${role}'`);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new TypeError('mintToken: ttlSeconds must be a positive integer');
  if (Buffer.byteLength(key) < 32) throw new TypeError('mintToken: the key needs at least 32 bytes');
  const payload = `fjs1.${user}.${role}.${Math.floor(now / 1000) + ttlSeconds}`;
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}
