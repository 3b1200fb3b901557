const { describeMachine } = require('./machine');
const { printFigure } = require('./report');

/**
 * Run one figure's `measure()`. Started by bench/run.js, it sends the result to the parent; started
 * directly (`node bench/figures/<file>`), it prints the result and the machine. Exits when done, because
 * helper processes and unref'd timers must not keep a finished figure alive.
 */
function runFigure(measure) {
  measure().then((figure) => {
    if (process.send !== undefined) {
      process.send({ type: 'result', figure }, () => process.exit(0));
      return;
    }
    console.log(JSON.stringify(describeMachine()));
    printFigure(figure);
    process.exit(0);
  }, (error) => {
    console.error(error);
    process.exit(1);
  });
}

/** Build a row of a figure: `measured` against `baseline`, with the ratio and, when given, the target it meets. */
function ratioRow({ label, unit, measured, baseline, baselineLabel, target }) {
  const ratio = measured / baseline;
  return {
    label,
    unit,
    measured,
    baseline,
    baselineLabel,
    ratio,
    ...(target === undefined ? {} : { target: { text: target.text, met: target.isMet(measured, ratio) } }),
  };
}

module.exports = { ratioRow, runFigure };
