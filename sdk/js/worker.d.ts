// The worker side of worker mode; see worker.js for the message protocol.

export declare const PROTOCOL_VERSION: 1;

/** Answers connect/invoke/state/close requests arriving on port with a browser-local client. */
export declare function serve(port: MessagePort | DedicatedWorkerGlobalScope): void;
