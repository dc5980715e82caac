// The page side of worker mode.
import type { ConnectOptions, FaasmClient } from './index.js';

/** A FaasmClient whose functions run behind port (a Worker running worker.js, or a MessagePort to serve()). */
export declare class WorkerClient extends EventTarget implements FaasmClient {
  constructor(port: MessagePort | Worker, terminate?: () => void);
  connect(options: ConnectOptions): Promise<this>;
  readonly suspension: FaasmClient['suspension'];
  readonly user: string;
  readonly state: FaasmClient['state'];
  invoke: FaasmClient['invoke'];
  close(): Promise<void>;
}

/** Starts a dedicated module worker running worker.js and connects its client. */
export declare function connectWorker(options: ConnectOptions): Promise<WorkerClient>;
