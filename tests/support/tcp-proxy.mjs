// A TCP proxy on 127.0.0.1 in front of a port, for the tests that must drop a connection while both ends stay
// up (the browser's and the runtime's resume tests): cut() destroys every connection in flight; new ones are
// still accepted.
import net from 'node:net';

export async function startTcpProxy(targetPort) {
  const pairs = new Set();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    /** Connections accepted so far. */
    get accepted() { return accepted; },
    /** Connections open now. */
    get connections() { return pairs.size; },
    cut() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    close() {
      this.cut();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
