import { createTracker, type Tracker, type TrackerOptions } from '../../src';
import { startCollector, type Collector } from '../../src/testing';
import { createMemoryLogger } from './memory-logger';

export const TRACK_ID = '111111111111111';

export interface TrackingEnv {
  readonly collector: Collector;
  readonly tracker: Tracker;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  /** Close the current tracker and start one with these options added. */
  restartTracker(options: Partial<TrackerOptions>): Promise<Tracker>;
}

/**
 * Start a collector, a memory logger and a tracker sending to the collector before each test of the
 * calling describe block, and close them after it. `baseOptions` is read before each test.
 */
export function useTrackingEnv(baseOptions: () => Partial<TrackerOptions> = () => ({})): TrackingEnv {
  let collector: Collector;
  let tracker: Tracker;
  let logger: ReturnType<typeof createMemoryLogger>;

  // Tests assert the lines of one request, so the start-up line about running without a spool is cleared.
  const start = (options: Partial<TrackerOptions>): Tracker => {
    const created = createTracker({
      trackId: TRACK_ID, trackDomain: collector.trackDomain, secure: false, logger, ...baseOptions(), ...options,
    });
    logger.lines.length = 0;
    return created;
  };

  beforeEach(async () => {
    collector = await startCollector();
    logger = createMemoryLogger();
    tracker = start({});
  });

  afterEach(async () => {
    await tracker.close({ timeoutMs: 1000 });
    await collector.close();
  });

  return {
    get collector() {
      return collector;
    },
    get tracker() {
      return tracker;
    },
    get logger() {
      return logger;
    },
    async restartTracker(options) {
      await tracker.close();
      tracker = start(options);
      return tracker;
    },
  };
}
