// What a TypeScript app writes against sdk/js's declarations (package.types type-checks it with tsc --strict):
// the ws package's WebSocket in Node and the browser's are both accepted as `webSocket`.
import WebSocket from 'ws';

import { connect, type FaasmClient } from '../../../sdk/js/index.js';

export async function fromNode(url: string, token: string): Promise<string> {
  const client: FaasmClient = await connect(url, { webSocket: WebSocket, token });
  try {
    return (await client.invoke('hello', 'Ada', { where: 'cluster' })).outputText;
  } finally {
    client.close();
  }
}

export async function fromPage(): Promise<string> {
  const client = await connect('/ws', { webSocket: globalThis.WebSocket, functions: '/functions/' });
  return (await client.invoke('hello', 'Ada')).outputText;
}
