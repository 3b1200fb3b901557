// Loads every entry point with require() and prints the names each one exports.
const main = require('mapp-s2s');
const koa = require('mapp-s2s/koa');
const testing = require('mapp-s2s/testing');

const tracker = main.createTracker({ trackId: '111111111111111', trackDomain: '127.0.0.1:9' });
koa.captureEid({ tracker, route: '/cart_checkout' });
main.captureEid({ tracker, route: '/cart_checkout' });

const exported = (module) => Object.keys(module).filter((name) => name !== '__esModule').sort();
console.log(JSON.stringify({ main: exported(main), koa: exported(koa), testing: exported(testing) }));
