// State (faasm-interfaces.md 1.2), on the client's local tier (state/local-tier.js), which holds the
// semantics; these functions only move bytes between guest memory and it. A function returns a Promise only
// when the tier must wait on the global tier, and writes into guest memory happen once the answer is there.
import { resumeWith } from '../asyncify.js';
import { fault } from './faults.js';
import { isThenable, then } from '../sync-or-async.js';
import { Guest } from './guest.js';

function keyOf(guest, ptr, call) {
  const key = guest.cString(ptr, 'state key');
  if (key === '') fault(call, 'emptyKey');
  return key;
}

export function __faasm_read_state(ctx, keyPtr, buffer, length) {
  const guest = new Guest(ctx.memory, 'read_state');
  const key = keyOf(guest, keyPtr, 'read_state');
  guest.check(buffer, length, 'buffer');
  if (length === 0) return ctx.tier.size(key);
  return then(ctx.tier.read('read_state', key, length, ctx.invocation), (data) => {
    new Guest(ctx.memory, 'read_state').write(buffer, data);
    return data.length;
  });
}

export function __faasm_read_state_offset(ctx, keyPtr, totalLength, offset, buffer, length) {
  const guest = new Guest(ctx.memory, 'read_state_offset');
  const key = keyOf(guest, keyPtr, 'read_state_offset');
  guest.check(buffer, length, 'buffer');
  return then(ctx.tier.readRange('read_state_offset', key, totalLength, offset, length, ctx.invocation), (chunk) => {
    new Guest(ctx.memory, 'read_state_offset').write(buffer, chunk);
  });
}

// A copy of the chunk in the guest's heap, made once per invocation and chunk (state/local-tier.js explains
// how it stays in sync). When the chunk had to be pulled first, malloc runs once the guest has resumed.
function mapChunk(ctx, call, keyPtr, totalLength, offset, length) {
  const key = keyOf(new Guest(ctx.memory, call), keyPtr, call);
  const read = ctx.tier.readRange(call, key, totalLength, offset, length, ctx.invocation);
  const map = () => {
    const existing = ctx.tier.mapped(key, offset, length, ctx.invocation);
    if (existing !== undefined) return existing;
    const address = ctx.malloc(Math.max(length, 1));
    if (address === 0) fault(call, 'mallocFailed', { size: length });
    new Guest(ctx.memory, call).check(address, length, 'mapped state');
    ctx.tier.map(key, offset, length, ctx.invocation, ctx.memory, address);
    return address;
  };
  return isThenable(read) ? read.then(() => resumeWith(map)) : map();
}

export function __faasm_read_state_ptr(ctx, keyPtr, totalLength) {
  return mapChunk(ctx, 'read_state_ptr', keyPtr, totalLength, 0, totalLength);
}

export function __faasm_read_state_offset_ptr(ctx, keyPtr, totalLength, offset, length) {
  return mapChunk(ctx, 'read_state_offset_ptr', keyPtr, totalLength, offset, length);
}

export function __faasm_write_state(ctx, keyPtr, data, length) {
  const guest = new Guest(ctx.memory, 'write_state');
  const key = keyOf(guest, keyPtr, 'write_state');
  ctx.tier.write('write_state', key, guest.slice(data, length, 'data'), ctx.invocation);
}

export function __faasm_write_state_offset(ctx, keyPtr, totalLength, offset, data, length) {
  const guest = new Guest(ctx.memory, 'write_state_offset');
  const key = keyOf(guest, keyPtr, 'write_state_offset');
  ctx.tier.writeRange('write_state_offset', key, totalLength, offset, guest.slice(data, length, 'data'),
    ctx.invocation);
}

export function __faasm_write_state_from_file(ctx, keyPtr, pathPtr) {
  const guest = new Guest(ctx.memory, 'write_state_from_file');
  const key = keyOf(guest, keyPtr, 'write_state_from_file');
  const path = guest.cString(pathPtr, 'file path');
  const bytes = ctx.readFile(path);
  if (bytes === undefined) fault('write_state_from_file', 'noFile', { path });
  ctx.tier.write('write_state_from_file', key, bytes, ctx.invocation);
  return bytes.length;
}

export function __faasm_flag_state_dirty(ctx, keyPtr, totalLength) {
  const key = keyOf(new Guest(ctx.memory, 'flag_state_dirty'), keyPtr, 'flag_state_dirty');
  ctx.tier.flagDirty('flag_state_dirty', key, totalLength, 0, totalLength, ctx.invocation);
}

export function __faasm_flag_state_offset_dirty(ctx, keyPtr, totalLength, offset, length) {
  const key = keyOf(new Guest(ctx.memory, 'flag_state_offset_dirty'), keyPtr, 'flag_state_offset_dirty');
  ctx.tier.flagDirty('flag_state_offset_dirty', key, totalLength, offset, length, ctx.invocation);
}

export function __faasm_push_state(ctx, keyPtr) {
  const key = keyOf(new Guest(ctx.memory, 'push_state'), keyPtr, 'push_state');
  return ctx.tier.push('push_state', key, ctx.invocation);
}

export function __faasm_push_state_partial(ctx, keyPtr) {
  const key = keyOf(new Guest(ctx.memory, 'push_state_partial'), keyPtr, 'push_state_partial');
  return ctx.tier.pushPartial('push_state_partial', key, ctx.invocation);
}

export function __faasm_push_state_partial_mask(ctx, keyPtr, maskKeyPtr) {
  const guest = new Guest(ctx.memory, 'push_state_partial_mask');
  const key = keyOf(guest, keyPtr, 'push_state_partial_mask');
  const maskKey = keyOf(guest, maskKeyPtr, 'push_state_partial_mask');
  return ctx.tier.pushPartialMask('push_state_partial_mask', key, maskKey, ctx.invocation);
}

export function __faasm_pull_state(ctx, keyPtr, length) {
  const key = keyOf(new Guest(ctx.memory, 'pull_state'), keyPtr, 'pull_state');
  return ctx.tier.pull('pull_state', key, length, ctx.invocation);
}

export function __faasm_append_state(ctx, keyPtr, data, length) {
  const guest = new Guest(ctx.memory, 'append_state');
  const key = keyOf(guest, keyPtr, 'append_state');
  return ctx.tier.append(key, guest.copy(data, length, 'data'));
}

export function __faasm_read_appended_state(ctx, keyPtr, buffer, length, count) {
  const guest = new Guest(ctx.memory, 'read_appended_state');
  const key = keyOf(guest, keyPtr, 'read_appended_state');
  guest.check(buffer, length, 'buffer');
  if (count < 0) fault('read_appended_state', 'negativeLength', { what: 'element count', length: count });
  return ctx.tier.readAppended(key, count).then(({ joined, count: found }) => {
    if (joined.length > length) {
      fault('read_appended_state', 'appendedTooBig', { key, count: found, bytes: joined.length, length });
    }
    new Guest(ctx.memory, 'read_appended_state').write(buffer, joined);
  });
}

export function __faasm_clear_appended_state(ctx, keyPtr) {
  const key = keyOf(new Guest(ctx.memory, 'clear_appended_state'), keyPtr, 'clear_appended_state');
  return ctx.tier.clearAppended(key);
}

function lock(ctx, call, keyPtr, exclusive) {
  const key = keyOf(new Guest(ctx.memory, call), keyPtr, call);
  return ctx.tier.lock(key, exclusive, ctx.invocation);
}

function unlock(ctx, call, keyPtr, exclusive) {
  const key = keyOf(new Guest(ctx.memory, call), keyPtr, call);
  return ctx.tier.unlock(call, key, exclusive, ctx.invocation);
}

export const __faasm_lock_state_read = (ctx, keyPtr) => lock(ctx, 'lock_state_read', keyPtr, false);
export const __faasm_lock_state_write = (ctx, keyPtr) => lock(ctx, 'lock_state_write', keyPtr, true);
export const __faasm_unlock_state_read = (ctx, keyPtr) => unlock(ctx, 'unlock_state_read', keyPtr, false);
export const __faasm_unlock_state_write = (ctx, keyPtr) => unlock(ctx, 'unlock_state_write', keyPtr, true);
