/** Ports of the demo's three servers, unless environment variables set others. */
const DEFAULT_PORTS = Object.freeze({ shop: 3000, psp: 3001, collector: 3002 });

const PORT_VARIABLES = Object.freeze({ shop: 'SHOP_PORT', psp: 'PSP_PORT', collector: 'COLLECTOR_PORT' });

/**
 * Reads the demo's settings from environment variables:
 * SHOP_PORT, PSP_PORT and COLLECTOR_PORT (0 picks a free port), and MAPP_TRACK_ID with MAPP_TRACK_DOMAIN to
 * send orders to a real Mapp account instead of the local collector.
 * Throws an Error that names the variable, the value received and what is allowed.
 */
function readDemoConfig(env) {
  const ports = {};
  for (const [server, variable] of Object.entries(PORT_VARIABLES)) {
    ports[server] = readPort(env, variable, DEFAULT_PORTS[server]);
  }

  const trackId = env.MAPP_TRACK_ID || undefined;
  const trackDomain = env.MAPP_TRACK_DOMAIN || undefined;
  if ((trackId === undefined) !== (trackDomain === undefined)) {
    const [set, missing] = trackId === undefined ? ['MAPP_TRACK_DOMAIN', 'MAPP_TRACK_ID'] : ['MAPP_TRACK_ID', 'MAPP_TRACK_DOMAIN'];
    throw new Error(`${set} is set but ${missing} is missing. Set both to send orders to a Mapp account, or neither to use the local collector.`);
  }

  return { ports, mapp: trackId === undefined ? undefined : { trackId, trackDomain } };
}

function readPort(env, variable, defaultPort) {
  const value = env[variable];
  if (value === undefined || value === '') {
    return defaultPort;
  }
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new Error(`${variable} is invalid: received ${JSON.stringify(value)}. Expected a whole number from 0 to 65535, where 0 picks a free port.`);
  }
  return port;
}

module.exports = { DEFAULT_PORTS, PORT_VARIABLES, readDemoConfig };
