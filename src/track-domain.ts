import { isIPv4, isIPv6 } from 'node:net';

/** Description of an allowed trackDomain, as the option error states it. */
export const TRACK_DOMAIN_RULE = 'a host name, an IPv4 address or a bracketed IPv6 address, with an optional port from 1 to 65535 '
  + 'and without scheme or path, such as "q3.webtrekk.net", "127.0.0.1:3002" or "[::1]:3002"';

// A DNS label: letters, digits and hyphens, 1 to 63 characters, not starting or ending with a hyphen.
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_HOST_NAME_LENGTH = 253;

/** Test a track domain: `host` or `host:port`, where host is a host name, IPv4 or `[IPv6]`. */
export function isTrackDomain(value: string): boolean {
  const { host, port } = splitPort(value);
  if (port !== undefined && !isPort(port)) {
    return false;
  }

  if (host.startsWith('[') && host.endsWith(']')) {
    return isIPv6(host.slice(1, -1));
  }
  return isHostName(host);
}

function splitPort(value: string): { host: string; port: string | undefined } {
  // The colons inside brackets belong to an IPv6 address, so only one after the closing bracket starts a port.
  const colon = value.startsWith('[') ? value.indexOf(':', value.indexOf(']')) : value.indexOf(':');
  return colon < 0 ? { host: value, port: undefined } : { host: value.slice(0, colon), port: value.slice(colon + 1) };
}

function isPort(port: string): boolean {
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

function isHostName(host: string): boolean {
  if (host.length === 0 || host.length > MAX_HOST_NAME_LENGTH) {
    return false;
  }

  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) {
    return false;
  }
  // A URL parser reads a host whose last label is a number as IPv4, so it must be a valid one.
  return /^\d+$/.test(labels[labels.length - 1]) ? isIPv4(host) : true;
}
