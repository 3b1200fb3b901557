/**
 * Create a pino-compatible logger that prints nothing, so console output does not distort the numbers, but
 * counts every call by level and every warning and error by message.
 */
function createCountingLogger() {
  const counts = { debug: 0, info: 0, warn: 0, error: 0 };
  const problems = new Map();

  const count = (level) => (_fields, message) => {
    counts[level] += 1;
    if (level === 'warn' || level === 'error') {
      const key = `${level}: ${message}`;
      problems.set(key, (problems.get(key) ?? 0) + 1);
    }
  };

  return {
    logger: { debug: count('debug'), info: count('info'), warn: count('warn'), error: count('error') },
    /** Warning and error counts, with the messages, as plain data. */
    summary: () => ({ warn: counts.warn, error: counts.error, messages: Object.fromEntries(problems) }),
  };
}

module.exports = { createCountingLogger };
