// A static file server for browser-local tests: the web app at /, the JavaScript runtime at /sdk/js/ and a
// build's example functions at /wasm/ (and at /functions/, as the gateway serves them). Dependency-free on
// purpose; faasmjs-gateway serves the same trees, the WebSocket endpoint and the cluster behind it.
//
// No COOP/COEP headers: faasm.js never needs cross-origin isolation (no SharedArrayBuffer), and serving
// without them keeps the demo honest about that.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// Browsers refuse module scripts and WebAssembly.compileStreaming without the right types.
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Where a build keeps its example functions. buildDir may be the native build directory (its clang wasm
 * sub-build is used, as ./tools/dev.sh builds it) or a wasm sub-build directory itself (as ctest knows it).
 */
export function functionsDirOf(buildDir) {
  const subBuild = path.join(buildDir, 'wasm-clang');
  const base = fs.existsSync(subBuild) ? subBuild : buildDir;
  return path.join(base, 'examples', 'functions');
}

function mounts(functionsDir) {
  return [
    { prefix: '/sdk/js/', dir: path.join(repoRoot, 'sdk', 'js') },
    { prefix: '/wasm/', dir: functionsDir },
    // Where the gateway serves them: the demo page, finding no gateway here, loads them from there.
    { prefix: '/functions/', dir: functionsDir },
    { prefix: '/', dir: path.join(repoRoot, 'examples', 'webapp') },
  ];
}

// Resolves a URL path inside one mount, or null when it would leave it (.., encoded slashes, NUL).
function resolve(urlPath, table) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const mount = table.find(({ prefix }) => decoded.startsWith(prefix));
  if (!mount) return null;
  const file = path.resolve(mount.dir, `.${path.posix.sep}${decoded.slice(mount.prefix.length)}`);
  return file === mount.dir || file.startsWith(mount.dir + path.sep) ? file : null;
}

function send(response, status, text) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}

async function serveFile(request, response, file) {
  let stat;
  try {
    stat = await fs.promises.stat(file);
    if (stat.isDirectory()) {
      file = path.join(file, 'index.html');
      stat = await fs.promises.stat(file);
    }
  } catch {
    send(response, 404, `${request.url}: not found`);
    return;
  }
  response.writeHead(200, {
    'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    // Rebuilt binaries and edited modules must show up on reload.
    'Cache-Control': 'no-store',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  fs.createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/**
 * Starts the server and resolves once it listens.
 * @param {{ functionsDir: string, port?: number, host?: string }} options port 0 picks a free port
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startDevServer({ functionsDir, port = 8080, host = '127.0.0.1' }) {
  const table = mounts(path.resolve(functionsDir));
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      send(response, 405, `${request.method} is not allowed`);
      return;
    }
    const file = resolve(new URL(request.url, 'http://localhost').pathname, table);
    if (file === null) {
      send(response, 404, `${request.url}: not found`);
      return;
    }
    serveFile(request, response, file).catch(() => response.destroy());
  });
  await new Promise((resolved, rejected) => {
    server.once('error', rejected);
    server.listen(port, host, () => {
      server.off('error', rejected);
      resolved();
    });
  });
  const bound = server.address().port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`,
    port: bound,
    close() {
      // Keep-alive connections from a browser would otherwise hold close() open indefinitely.
      const closed = new Promise((resolved) => server.close(() => resolved()));
      server.closeAllConnections();
      return closed;
    },
  };
}
