/** Track ID of the pretend Mapp account behind the local collector. */
const TRACK_ID = '111111111111111';

/** A visitor as captured at checkout: EID, IP and a browser user agent. */
const SAMPLE_VISITOR = {
  eid: '2170000000000000001',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
};

/** Build a two-product order, as in the README, with the given ID. */
function sampleOrder(id) {
  return {
    id,
    value: 79.7,
    currency: 'EUR',
    products: [{ id: 'SKU-1', price: 39.9, quantity: 1 }, { id: 'SKU-2', price: 19.9, quantity: 2 }],
  };
}

/** Call `task(1)` to `task(count)`, at most `concurrency` at a time. */
async function runConcurrently(count, concurrency, task) {
  let next = 1;
  const worker = async () => {
    while (next <= count) {
      const number = next;
      next += 1;
      await task(number);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

module.exports = { runConcurrently, sampleOrder, SAMPLE_VISITOR, TRACK_ID };
