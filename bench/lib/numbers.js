/** Return the value below which `fraction` of the sorted values lie (nearest rank). */
function percentile(sortedValues, fraction) {
  if (sortedValues.length === 0) {
    return NaN;
  }
  const rank = Math.ceil(fraction * sortedValues.length);
  return sortedValues[Math.min(sortedValues.length, Math.max(1, rank)) - 1];
}

function median(values) {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

/** Milliseconds since `start`, a value of process.hrtime.bigint(). */
function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Format a number with thousands separators and at most `digits` decimals. */
function formatNumber(value, digits = 0) {
  return Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
    : String(value);
}

module.exports = { formatNumber, median, msSince, percentile, sleep };
