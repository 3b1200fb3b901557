import { createTracker, type Logger } from '../src';
import { createSafeLogger, LOGGER_FAILED_WARNING } from '../src/logger';
import { startCollector } from '../src/testing';
import { SAMPLE_ORDER } from './helpers/sample-order';

function throwingLogger(): Logger {
  const fail = (): void => {
    throw new Error('log stream closed');
  };
  return { debug: fail, info: fail, warn: fail, error: fail };
}

/** Run `action` and return the arguments of each process.emitWarning call it made. */
function warningsDuring(action: () => void): unknown[][] {
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    action();
    return emitWarning.mock.calls;
  } finally {
    emitWarning.mockRestore();
  }
}

describe('createSafeLogger', () => {
  it('drops a call that throws', () => {
    const logger = createSafeLogger(throwingLogger());
    expect(() => logger.error({}, 'lost line')).not.toThrow();
  });

  it('warns once per logger', () => {
    const logger = createSafeLogger(throwingLogger());
    const warnings = warningsDuring(() => {
      logger.error({}, 'first');
      logger.info({}, 'second');
    });
    expect(warnings).toEqual([[expect.stringContaining("the logger's error() threw (Error: log stream closed)"),
      { code: LOGGER_FAILED_WARNING }]]);
  });

  it('calls the methods on the logger', () => {
    class RecordingLogger implements Logger {
      readonly lines: string[] = [];
      debug(_fields: object, message?: string): void {
        this.lines.push(`debug ${message}`);
      }
      info(_fields: object, message?: string): void {
        this.lines.push(`info ${message}`);
      }
      warn(_fields: object, message?: string): void {
        this.lines.push(`warn ${message}`);
      }
      error(_fields: object, message?: string): void {
        this.lines.push(`error ${message}`);
      }
    }
    const recording = new RecordingLogger();
    createSafeLogger(recording).warn({ orderId: 'A-1' }, 'checked');
    expect(recording.lines).toEqual(['warn checked']);
  });
});

describe('tracker.logger', () => {
  it('does not throw for a throwing logger', () => {
    const tracker = createTracker({ trackId: '111111111111111', trackDomain: '127.0.0.1:9', logger: throwingLogger() });
    expect(() => tracker.logger.error({}, 'lost line')).not.toThrow();
  });

  it('lets trackOrder resolve when info() throws', async () => {
    const collector = await startCollector();
    const tracker = createTracker({
      trackId: '111111111111111', trackDomain: collector.trackDomain, secure: false, logger: throwingLogger(),
    });
    try {
      await expect(tracker.trackOrder(SAMPLE_ORDER)).resolves.toMatchObject({ status: 'queued' });
      const [hit] = await collector.waitForHits(1);
      expect(hit.order?.id).toBe(SAMPLE_ORDER.id);
    } finally {
      await tracker.close({ timeoutMs: 1000 });
      await collector.close();
    }
  });
});
