// What the demo check and the browser suite need to know about a gateway in front of Faasm (--faasm): the option's
// endpoints, the cluster's hosts (asked of the planner), what Faasm's WAMR backend lacks (read from the gateway's own
// table, tools/gateway/faasm/wamr_imports.h, so there is one list) and the gateway's refusal of a function that needs
// it.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const WAMR_IMPORTS_H = fileURLToPath(new URL('../gateway/faasm/wamr_imports.h', import.meta.url));

/** `planner=URL,upload=URL[,redis=HOST:PORT]` (the gateway's --faasm value) as { planner, upload, redis }. */
export function parseFaasmOption(value) {
  const fields = Object.fromEntries(value.split(',').map((part) => {
    const at = part.indexOf('=');
    return at < 0 ? [part, undefined] : [part.slice(0, at), part.slice(at + 1)];
  }));
  for (const name of ['planner', 'upload']) {
    if (!fields[name]) throw new Error(`--faasm: ${name}=URL is missing in '${value}'`);
  }
  return fields;
}

/** The IP addresses of the hosts Faasm's planner lists (GET_AVAILABLE_HOSTS). */
export async function faasmHosts(plannerUrl) {
  let response;
  try {
    response = await fetch(plannerUrl, { method: 'POST', body: JSON.stringify({ http_type: 'GET_AVAILABLE_HOSTS' }) });
  } catch (error) {
    throw new Error(`Faasm's planner at ${plannerUrl} did not answer GET_AVAILABLE_HOSTS: ${error.cause?.message ?? error.message}`);
  }
  const body = await response.text();
  if (!response.ok) throw new Error(`Faasm's planner at ${plannerUrl} answered GET_AVAILABLE_HOSTS with ${response.status} ${body}`);
  const hosts = (JSON.parse(body).hosts ?? []).map((host) => host.ip);
  if (hosts.length === 0) throw new Error(`Faasm's planner at ${plannerUrl} lists no hosts`);
  return hosts;
}

/** The __faasm_* imports only Faasm's WAVM backend has (kWavmOnlyImports of wamr_imports.h). */
export function wavmOnlyImports() {
  const header = fs.readFileSync(WAMR_IMPORTS_H, 'utf8');
  const list = /kWavmOnlyImports\{([^}]*)\}/.exec(header)?.[1];
  if (list === undefined) throw new Error(`${WAMR_IMPORTS_H}: no kWavmOnlyImports`);
  return [...list.matchAll(/"(\w+)"/g)].map((match) => match[1]);
}

const REFUSAL = /^(\w+) cannot run on Faasm: its WAMR backend lacks (.+)$/;

/**
 * The gateway's refusal of a function Faasm's WAMR cannot run ("state cannot run on Faasm: its WAMR backend lacks
 * env.A, env.B"), as { function, imports: ['env.A', 'env.B'], line }, or null for any other text.
 */
export function faasmRefusal(error) {
  const match = REFUSAL.exec(error ?? '');
  if (!match) return null;
  return { function: match[1], imports: [...match[2].matchAll(/\b(\w+)\.(\w+)/g)].map((m) => m[0]), line: match[0] };
}

/**
 * Why a refusal is not the known gap (each import it names must be a WAVM-only env import), or null when it is.
 * Anything else missing would be the gateway's WAMR tables refusing what Faasm runs.
 */
export function unexpectedRefusal(refusal, wavmOnly = wavmOnlyImports()) {
  const others = refusal.imports.filter((name) => !wavmOnly.some((known) => name === `env.${known}`));
  if (refusal.imports.length === 0) return `the refusal names no import: ${refusal.line}`;
  return others.length ? `it lacks more than the WAVM-only imports: ${others.join(', ')}` : null;
}
