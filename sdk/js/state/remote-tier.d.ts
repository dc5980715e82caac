// The gateway's global tier over the wire protocol: a GlobalTier (global-tier.d.ts) for the local tier.
import type { GlobalTier } from './global-tier.js';
import type { Connection } from '../transport/connection.js';

export interface RemoteGlobalTier extends GlobalTier {}
export declare class RemoteGlobalTier {
  /** Keys arrive as `<user>_<key>`; the wire carries `<key>` (the gateway namespaces by the session's user). */
  constructor(connection: Connection, user: string, warn?: (message: string) => void);
}
