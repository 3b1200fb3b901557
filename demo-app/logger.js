/**
 * Creates the demo's logger: pino-compatible (fields first, message second), writing one line per event to
 * the console. Debug lines appear only with DEBUG=mapp-s2s.
 */
function createConsoleLogger() {
  const debugEnabled = /(^|,)\s*mapp-s2s/.test(process.env.DEBUG ?? '');

  function write(level, print) {
    return (fields, message = '') => {
      if (level === 'debug' && !debugEnabled) {
        return;
      }
      const details = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields, replaceErrors)}` : '';
      print(`${new Date().toISOString()} ${level}: ${message}${details}`);
    };
  }

  return {
    debug: write('debug', console.debug),
    info: write('info', console.log),
    warn: write('warn', console.warn),
    error: write('error', console.error),
  };
}

function replaceErrors(_key, value) {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

module.exports = { createConsoleLogger };
