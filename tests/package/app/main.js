// The small app every packaging test builds (with esbuild, Vite, webpack, or none and an import map): it
// imports faasm.js by its package name, as an app that installed the package does, and runs hello through the
// gateway that served the page ('/ws', page-relative), here or in the cluster, on the page's thread or in a
// module worker.
import { connect } from 'faasmjs';

/**
 * @param {{ token: string, worker?: boolean, workerUrl?: string, where?: 'browser' | 'cluster' }} options
 * @returns {Promise<object>} the call's outcome, or { rejected: { name, message } }
 */
window.runHello = async ({ token, worker = false, workerUrl, where = 'browser' }) => {
  let client;
  try {
    client = await connect('/ws', { token, worker, ...(workerUrl === undefined ? {} : { workerUrl }) });
    const { outputText, returnValue, trace } = await client.invoke('hello', 'Ada', { where });
    return { outputText, returnValue, where: trace.where, suspension: client.suspension };
  } catch (error) {
    return { rejected: { name: error.name, message: error.message } };
  } finally {
    await client?.close();
  }
};
