import type { Logger } from '../../src/logger';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** Create a logger that records every line, so tests can assert what was logged and what was not. */
export function createMemoryLogger(): Logger & { lines: LogLine[]; at(level: LogLine['level']): LogLine[] } {
  const lines: LogLine[] = [];
  const record = (level: LogLine['level']) => (fields: object, message = ''): void => {
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  };

  return {
    lines,
    at: (level) => lines.filter((line) => line.level === level),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
