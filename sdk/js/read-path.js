// The side of "#read-path" (package.json "imports") for every environment but Node: there are no file paths
// there, only URLs, which function-loader.js fetches. Reached only by a browser build run in Node.
import { Unsupported } from './errors.js';

export async function readPath() {
  throw new Unsupported('file paths are read only in Node, and this is the browser build of faasm.js');
}
