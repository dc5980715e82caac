// The global tier interface: where values and append logs live beyond one host (one client). The
// browser-local BrowserGlobalTier implements it in memory, the gateway's RemoteGlobalTier (remote-tier.js)
// over the WebSocket. Keys arrive namespaced by user (`<user>_<key>`, as Faasm keeps them).
// Every method is async so that either can wait on a network.

export interface StoredRange {
  /** The whole value's size in bytes. */
  size: number;
  /** The bytes asked for (clipped to the value). */
  bytes: Uint8Array;
}

export interface Range {
  offset: number;
  bytes: Uint8Array;
}

export interface GlobalTier {
  /** The value's size in bytes; 0 when the key has no value. */
  size(key: string): Promise<number>;
  /** [offset, offset + length) of the value (default: all of it), or null when the key has no value. */
  pull(key: string, offset?: number, length?: number): Promise<StoredRange | null>;
  /** The value becomes `size` bytes: its old bytes (cut or zero-extended), overwritten by ranges. A full push. */
  push(key: string, size: number, ranges: Range[]): Promise<void>;
  /** Writes ranges into the value (grown with zeros to at least `size`); resolves with the whole new value. */
  pushPartial(key: string, size: number, ranges: Range[]): Promise<Uint8Array>;
  /** Replaces the value (the client's state inspector). */
  set(key: string, bytes: Uint8Array): Promise<void>;
  /** Appends one element to the key's append log. */
  append(key: string, bytes: Uint8Array): Promise<void>;
  /** The first `count` elements of the append log (fewer if it is shorter). */
  readAppended(key: string, count: number): Promise<Uint8Array[]>;
  /** Empties the append log. */
  clearAppended(key: string): Promise<void>;
  /** Resolves once the key is locked: shared (exclusive false) or exclusive; queued in arrival order. */
  lock(key: string, exclusive: boolean): Promise<void>;
  /** Releases one hold of that kind; false if there was none. */
  unlock(key: string, exclusive: boolean): Promise<boolean>;
  /** Keys with a value, starting with prefix, sorted. */
  keys(prefix?: string): Promise<string[]>;
}

/** The browser-local global tier: values, append logs and locks in this JavaScript realm's memory. */
export interface BrowserGlobalTier extends GlobalTier {}
export declare class BrowserGlobalTier {
  constructor();
}
