// A request with a large body (UPLOAD, FILE_UPLOAD) and its progress: the bytes that have left for the
// gateway while it goes, then what the gateway does with it until it answers (compiling, storing).
//
// The body leaves as the protocol cuts it (docs/protocol.md, "Large bodies: chunks"): parts of at most
// WELCOME's chunk size, each behind a 12-byte header, so the request is on its way in full once that many
// bytes have left the socket.
import { HEADER_SIZE } from './sdk.js';
import { formatBytes, formatSeconds } from './progress.js';

const POLL_MS = 20;

function wireBytes(bodyBytes, { chunkSize, maxFrame }) {
  const partSize = Math.min(chunkSize, maxFrame - HEADER_SIZE);
  return bodyBytes + HEADER_SIZE * Math.max(1, Math.ceil(bodyBytes / partSize));
}

/**
 * @param {import('./gateway.js').Session} session
 * @param {{ type: number, fields: object, bodyBytes: number, label: string, what: string, after: string }} request
 *   what: named in the sending phase ("hello.wasm"); after: the phase after it ("the gateway is compiling hello")
 * @param {import('./progress.js').Progress} progress
 * @returns {Promise<{ reply: object, sendMs: number, totalMs: number, bytes: number }>}
 */
export async function sendWithProgress(session, { type, fields, bodyBytes, label, what, after }, progress) {
  const total = wireBytes(bodyBytes, session.connection.welcome);
  const start = Date.now();
  const before = session.bytesSent;
  const sent = () => Math.min(session.bytesSent - before, total);
  let sendMs = null;
  progress.phase(`sending ${what} to ${session.url}`, () => `${formatBytes(sent())} of ${formatBytes(total)}`);
  const watch = setInterval(() => {
    if (sent() < total) return;
    sendMs = Date.now() - start;
    clearInterval(watch);
    progress.phase(`sent ${formatBytes(total)} in ${formatSeconds(sendMs)}; ${after}`);
  }, POLL_MS);
  try {
    const reply = await session.request(type, fields, label);
    return { reply, sendMs: sendMs ?? Date.now() - start, totalMs: Date.now() - start, bytes: total };
  } finally {
    clearInterval(watch);
    progress.done();
  }
}
