const { formatNumber } = require('./numbers');

/**
 * Print one figure: each row with its measured value, its baseline from the same run, the ratio and the
 * target, then the checks and the details.
 */
function printFigure(figure, print = console.log) {
  print(`\nFigure ${figure.number}: ${figure.title}`);
  for (const row of figure.rows) {
    const target = row.target === undefined ? '' : `   target ${row.target.text}: ${row.target.met ? 'met' : 'MISSED'}`;
    print(`  ${row.label}`);
    print(`    measured ${formatValue(row.measured, row.unit)}, baseline ${formatValue(row.baseline, row.unit)} `
      + `(${row.baselineLabel}), ratio ${formatNumber(row.ratio, 3)}${target}`);
  }
  for (const check of figure.checks ?? []) {
    print(`  check: ${check.label}: ${check.passed ? 'passed' : 'FAILED'} (${check.detail})`);
  }
  for (const detail of figure.details ?? []) {
    print(`  ${detail}`);
  }
}

function formatValue(value, unit) {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${formatNumber(value, digits)} ${unit}`;
}

/** Describe the warnings and errors a counting logger saw, one line. */
function describeLog(label, log) {
  const messages = Object.entries(log.messages).map(([message, count]) => `${count}x ${message}`);
  return `${label}: ${log.warn} warnings, ${log.error} errors logged${messages.length > 0 ? `: ${messages.join('; ')}` : ''}`;
}

module.exports = { describeLog, formatValue, printFigure };
