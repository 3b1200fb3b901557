const http = require('node:http');

/** Time that open requests get to finish when a server closes, in milliseconds. */
const CLOSE_GRACE_MS = 5000;

/**
 * Starts an HTTP server for `app` on 127.0.0.1. Port 0 lets the operating system pick a free port.
 * Resolves with the server and its base URL, such as `http://127.0.0.1:3000`.
 */
function listen(app, port) {
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

/**
 * Stops accepting connections and resolves once the open requests have their responses. Idle keep-alive
 * connections close at once, and connections still busy after CLOSE_GRACE_MS are cut.
 */
function closeServer(server) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

module.exports = { listen, closeServer };
