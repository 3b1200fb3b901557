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
