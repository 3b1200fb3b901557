// Starts the demo from the command line (`npm run demo`) and stops it cleanly on Ctrl+C (SIGINT) or SIGTERM.
const { readDemoConfig } = require('./config');
const { startDemo } = require('./demo');

async function main() {
  const config = readDemoConfig(process.env);
  const demo = await startDemo(config);

  console.log('');
  console.log(`  Shop              ${demo.shopUrl}/`);
  console.log(`  Payment provider  ${demo.pspUrl}/`);
  if (demo.collectorUrl === undefined) {
    console.log(`  Orders go to Mapp account ${config.mapp.trackId} at ${config.mapp.trackDomain}; no local collector runs.`);
  } else {
    console.log(`  Mapp collector    ${demo.collectorUrl}/`);
  }
  console.log('');
  console.log('  Add products to the cart, check out and pay: the order appears on the collector page.');
  console.log('  Press Ctrl+C to stop.');
  console.log('');

  let stopping = false;
  const stop = (signal) => {
    if (stopping) {
      console.log(`${signal} received again, exiting without waiting.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal} received: sending the queued orders and stopping the servers.`);
    demo.close().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error) => {
        console.error(`Stopping failed: ${error.stack ?? error}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error.message);
  if (error.cause?.code === 'EADDRINUSE') {
    console.error('Set SHOP_PORT, PSP_PORT or COLLECTOR_PORT to free ports, or 0 to let the system pick.');
  }
  process.exit(1);
});
