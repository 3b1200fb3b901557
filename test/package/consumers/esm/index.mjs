// Loads every entry point with import and prints the names each one exports.
import { createRequire } from 'node:module';

import * as main from 'mapp-s2s';
import * as koa from 'mapp-s2s/koa';
import * as testing from 'mapp-s2s/testing';
import { createTracker, InvalidOptionError } from 'mapp-s2s';
import { captureEid } from 'mapp-s2s/koa';
import { startCollector } from 'mapp-s2s/testing';

const tracker = createTracker({ trackId: '111111111111111', trackDomain: '127.0.0.1:9' });
captureEid({ tracker, route: '/cart_checkout' });
if (typeof startCollector !== 'function') {
  throw new Error('startCollector is not a function');
}

// One copy of the code for both module systems: import and require() return the same class.
const required = createRequire(import.meta.url)('mapp-s2s');
if (required.InvalidOptionError !== InvalidOptionError) {
  throw new Error('import and require() of mapp-s2s return different copies of InvalidOptionError');
}

const exported = (module) => Object.keys(module).filter((name) => name !== 'default').sort();
console.log(JSON.stringify({ main: exported(main), koa: exported(koa), testing: exported(testing) }));
