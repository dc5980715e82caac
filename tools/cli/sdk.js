// The parts of sdk/js this command line is made of: its connection (one codec, the SDK's), its client (calls
// here or in the cluster) and its errors. The CLI ships beside the SDK it runs on, found relative to this file:
// share/faasmjs/cli/ next to share/faasmjs/sdk/js/ when installed, tools/cli/ of the source tree otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SDK_DIRS = ['../sdk/js/', '../../sdk/js/'];

const sdkDir = SDK_DIRS.map((dir) => new URL(dir, import.meta.url)).find((dir) => existsSync(new URL('index.js', dir)));
if (sdkDir === undefined) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  throw new Error(`no faasm.js SDK beside the command line in ${here} (looked for ${SDK_DIRS.map((dir) => `${dir}index.js`).join(' and ')})`);
}
const load = (file) => import(new URL(file, sdkDir).href);

export const { Client } = await load('client.js');
export const { Connection } = await load('transport/connection.js');
export const { HEADER_SIZE, TYPE } = await load('transport/codec.js');
export const { mintToken, readTokenKey } = await load('auth/mint-token.js');
export const { FaasmError } = await load('errors.js');

/** The SDK's version, which is the command line's. */
export const VERSION = JSON.parse(readFileSync(new URL('package.json', sdkDir), 'utf8')).version;
export const { decode, decodeOutput, describe, encode, parseSchema } = await load('values/index.js');
