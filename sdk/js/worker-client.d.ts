// The page side of worker mode.
import type { ConnectOptions, FaasmClient } from './index.js';

/**
 * A FaasmClient whose functions run behind port (a Worker running worker.js, or a MessagePort to serve()).
 * script is the worker's URL, named when it cannot load.
 */
export declare class WorkerClient extends EventTarget implements FaasmClient {
  constructor(port: MessagePort | Worker, terminate?: () => void, script?: string);
  /** Connects the worker's client, to the gateway at url if given (the worker owns the WebSocket). */
  connect(options: ConnectOptions, url?: string): Promise<this>;
  readonly suspension: FaasmClient['suspension'];
  readonly user: string;
  readonly state: FaasmClient['state'];
  readonly files: FaasmClient['files'];
  readonly gateway: FaasmClient['gateway'];
  invoke: FaasmClient['invoke'];
  upload: FaasmClient['upload'];
  functions: FaasmClient['functions'];
  close(): Promise<void>;
}

/** Starts a dedicated module worker running worker.js and connects its client (to the gateway at url, if any). */
export declare function connectWorker(options: ConnectOptions, url?: string): Promise<WorkerClient>;
