/**
 * A pino-compatible logger: fields first, message second. pino, bunyan-style child loggers and the console
 * default below all fit.
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const LOG_METHODS = ['debug', 'info', 'warn', 'error'] as const;

export function isLogger(value: unknown): value is Logger {
  return typeof value === 'object' && value !== null
    && LOG_METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

/** Default logger: one line per event on the console; debug lines only with `DEBUG` containing `mapp-s2s`. */
export function createConsoleLogger(): Logger {
  const debugEnabled = /(^|,)\s*mapp-s2s/.test(process.env.DEBUG ?? '');

  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (fields: object, message?: string): void => {
    if (method === 'debug' && !debugEnabled) {
      return;
    }
    const details = Object.keys(fields).length > 0 ? ` ${safeJson(fields)}` : '';
    // eslint-disable-next-line no-console
    console[method](`mapp-s2s ${method}: ${message ?? ''}${details}`);
  };

  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Code of the process warning emitted when an injected logger throws. */
export const LOGGER_FAILED_WARNING = 'MAPP_S2S_LOGGER_FAILED';

/**
 * Wrap a logger so that no call throws. Tracking runs inside the shop's requests and in background
 * promises, so a logger that throws (a closed stream, a broken transport) would otherwise fail checkout
 * pages or end the process with an unhandled rejection. A failed call drops its line. The first failure
 * of each wrapped logger is reported as a process warning with the code `MAPP_S2S_LOGGER_FAILED`, so a
 * broken logger does not go unnoticed. Later failures are dropped silently.
 */
export function createSafeLogger(logger: Logger): Logger {
  let failureReported = false;

  const call = (method: (typeof LOG_METHODS)[number]) => (fields: object, message?: string): void => {
    try {
      logger[method](fields, message);
    } catch (error) {
      if (!failureReported) {
        failureReported = true;
        reportLoggerFailure(method, error);
      }
    }
  };

  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') };
}

function reportLoggerFailure(method: string, error: unknown): void {
  try {
    process.emitWarning(`mapp-s2s: the logger's ${method}() threw (${describeError(error)}), so its log line was dropped; `
      + 'later failures of this logger are dropped without a warning', { code: LOGGER_FAILED_WARNING });
  } catch {
    // process.emitWarning may be patched and throw as well; tracking goes on without the report.
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'an error that cannot be shown';
  }
}

/** A logger that drops everything, for tests and for shops that want silence. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function safeJson(fields: object): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message } : value);
  } catch {
    return '[fields not serializable]';
  }
}
