// The URL connect(url) opens its WebSocket on. A ws: or wss: URL is taken as it is. In a page (or worker)
// any other URL is resolved against the page's and http: becomes ws:, https: wss:, so that connect('/ws')
// reaches the gateway, or the dev server proxying to it, that served the page, and stays encrypted when the
// page is (a browser refuses ws: from an https page).

/**
 * @param {string | URL} url
 * @param {string | undefined} [page] the URL relative ones resolve against (default: the page's, if any)
 * @returns {string} a ws: or wss: URL
 */
export function gatewayUrl(url, page = globalThis.location?.href) {
  const text = url instanceof URL ? url.href : url;
  if (typeof text === 'string' && /^wss?:\/\//i.test(text)) return text;
  if (typeof text === 'string' && page !== undefined) {
    const resolved = new URL(text, page);
    if (resolved.protocol === 'http:' || resolved.protocol === 'https:') {
      resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:';
      return resolved.href;
    }
  }
  throw new TypeError('connect: url must be undefined (browser-local), a gateway\'s ws:// or wss:// URL or, in a page, '
                      + `a URL relative to it such as '/ws', got ${String(url)}`);
}
