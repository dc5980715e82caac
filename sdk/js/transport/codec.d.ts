// The wire protocol faasmjs.v1 (docs/protocol.md), client side, without I/O. Decoding throws ProtocolError
// (errors.js) for anything the gateway sends that does not follow the protocol; encoding throws TypeError
// for a field out of range.

export declare const SUBPROTOCOL: 'faasmjs.v1';
export declare const VERSION: 1;
export declare const HEADER_SIZE: 12;
export declare const FLAG_MORE: 1;
/** STATE_PULL's length for "to the end of the value". */
export declare const TO_END: 0xFFFFFFFF;

export declare const TYPE: Readonly<{
  HELLO: 0x01; INVOKE: 0x02; AWAIT: 0x03; CANCEL: 0x04;
  STATE_SIZE: 0x10; STATE_PULL: 0x11; STATE_PUSH: 0x12; STATE_SET: 0x13; STATE_APPEND: 0x14;
  STATE_READ_APPENDED: 0x15; STATE_CLEAR_APPENDED: 0x16; STATE_LOCK: 0x17; STATE_UNLOCK: 0x18; STATE_KEYS: 0x19;
  UPLOAD: 0x20; FILE_UPLOAD: 0x21; FILE_GET: 0x22; FUNCTIONS: 0x23; PING: 0x30; CONTINUE: 0x7F;
  WELCOME: 0x81; RESULT: 0x82; ACK: 0x83; STATE_SIZE_IS: 0x84; STATE_VALUE: 0x85; STATE_APPENDED: 0x86;
  STATE_KEY_LIST: 0x87; UPLOADED: 0x88; FILE_DATA: 0x89; FUNCTION_LIST: 0x8A; PONG: 0x8F; ERROR: 0xEE;
}>;
export declare const TYPE_NAME: Readonly<Record<number, string>>;
export declare const ERROR_CODES: Readonly<Record<number, string>>;
export type CallStatus = 'finished' | 'trapped' | 'timedOut' | 'memoryExceeded' | 'cancelled' | 'crashed' | 'failed';
export declare const CALL_STATUS: readonly CallStatus[];

export interface Range { offset: number; bytes: Uint8Array; }
/** A file INVOKE writes into the host's file system before the call runs. */
export interface SeededFile { path: string; data: Uint8Array; }

/** Client → server message fields, by message (names as in docs/protocol.md). */
export interface ClientFields {
  [0x01]: { version?: number; user: string; token?: string; session?: bigint };
  [0x02]: { function: string; funcPtr?: number; cmdline?: string; timeoutMs?: number; input?: Uint8Array; files?: SeededFile[] };
  [0x03]: { callId: number };
  [0x04]: { callId: number };
  [0x10]: { key: string };
  [0x11]: { key: string; offset?: number; length?: number };
  [0x12]: { key: string; size: number; partial: boolean; ranges: Range[] };
  [0x13]: { key: string; value: Uint8Array };
  [0x14]: { key: string; element: Uint8Array };
  [0x15]: { key: string; count: number };
  [0x16]: { key: string };
  [0x17]: { key: string; exclusive: boolean };
  [0x18]: { key: string; exclusive: boolean };
  [0x19]: { prefix?: string };
  [0x20]: { function: string; wasm: Uint8Array };
  [0x21]: { path: string; data: Uint8Array };
  [0x22]: { path: string };
  [0x23]: Record<string, never>;
  [0x30]: { payload?: Uint8Array };
}

export interface Welcome {
  type: 0x81; version: number; session: bigint; resumed: boolean; maxFrame: number; chunkSize: number;
  maxBody: number; workers: number; server: string;
}
export interface Result {
  type: 0x82; returnValue: number; status: CallStatus; error: string; queuedUs: number; runUs: number;
  trace: string; stdout: Uint8Array; stderr: Uint8Array; output: Uint8Array;
}
export interface Ack { type: 0x83; value: number; }
export interface StateSizeIs { type: 0x84; size: number; }
export interface StateValue { type: 0x85; exists: boolean; size: number; offset: number; data: Uint8Array; }
export interface StateAppended { type: 0x86; elements: Uint8Array[]; }
export interface StateKeyList { type: 0x87; keys: string[]; }
export interface Uploaded { type: 0x88; function: string; sha256: string; compileMs: number; }
/** A shared file read back (FILE_GET); exists false when there is none. */
export interface FileData { type: 0x89; exists: boolean; data: Uint8Array; }
/** The registered functions (FUNCTIONS), by name. */
export interface FunctionList { type: 0x8A; functions: { name: string; sha256: string }[]; }
export interface Pong { type: 0x8F; payload: Uint8Array; }
export interface ErrorMessage { type: 0xEE; code: string; number: number; message: string; }
export type ServerMessage = Welcome | Result | Ack | StateSizeIs | StateValue | StateAppended | StateKeyList | Uploaded | FileData
  | FunctionList | Pong | ErrorMessage;

/** The body of a client message. */
export declare function encode<T extends keyof ClientFields>(type: T, fields: ClientFields[T]): Uint8Array;
/** A server message's body as its fields; throws ProtocolError unless the body decodes exactly. */
export declare function decode(type: number, body: Uint8Array): ServerMessage;
export declare function isServerType(type: number): boolean;

export declare class BodyWriter {
  u8(value: number, what?: string): this;
  u16(value: number, what?: string): this;
  u32(value: number, what?: string): this;
  u64(value: bigint, what?: string): this;
  str(text: string, what?: string): this;
  bytes(bytes: Uint8Array, what?: string): this;
  /** Empties the writer, keeping its buffer. */
  reset(): this;
  finish(): Uint8Array;
}

export declare class BodyReader {
  constructor(bytes: Uint8Array, message: string);
  u8(what: string): number;
  u16(what: string): number;
  u32(what: string): number;
  i32(what: string): number;
  u64(what: string): bigint;
  flag(what: string): boolean;
  str(what: string): string;
  bytes(what: string): Uint8Array;
  end(): void;
}

export interface WireMessage { type: number; id: number; body: Uint8Array; }
export interface FrameLimits { maxFrame: number; chunkSize: number; }

/** Messages packed into frames on demand, large bodies chunked and interleaved with the others. */
export declare class OutgoingQueue {
  constructor(limits: FrameLimits);
  readonly empty: boolean;
  /** onLastPart runs when nextFrame() hands out the frame holding the message's last part. */
  push(message: WireMessage, onLastPart?: () => void): void;
  clear(): void;
  /** Takes back a message none of which has gone out yet; false if there is none such. */
  drop(id: number): boolean;
  nextFrame(): Uint8Array | null;
}

export declare function packFrames(messages: WireMessage[], limits: FrameLimits): Uint8Array[];

/** Splits frames into messages and joins chunked bodies; throws ProtocolError for a frame that breaks the protocol. */
export declare class FrameReader {
  constructor(limits?: { maxBody?: number });
  read(frame: Uint8Array): WireMessage[];
}
