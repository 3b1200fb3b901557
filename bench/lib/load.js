const autocannon = require('autocannon');

/** Request headers of a returning shopper: the Mapp pixel's wt3_eid cookie and a browser user agent. */
const SHOPPER_HEADERS = {
  cookie: 'wt3_eid=%3B111111111111111%7C2170000000000000001%232170000000600000000; consent=all',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  accept: 'text/html',
};

/**
 * Run autocannon against `url` for `durationSec` seconds and return requests per second, latency
 * percentiles in milliseconds, and failed requests. `overallRate` sends at a fixed rate instead of as fast
 * as the server responds; autocannon then corrects the latencies for coordinated omission.
 */
async function runLoad({ url, connections = 10, durationSec, overallRate, headers = SHOPPER_HEADERS }) {
  const result = await autocannon({
    url,
    connections,
    duration: durationSec,
    headers,
    ...(overallRate === undefined ? {} : { overallRate }),
  });
  return {
    requestsPerSec: result.requests.total / durationSec,
    requests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

module.exports = { runLoad, SHOPPER_HEADERS };
