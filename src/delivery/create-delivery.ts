import { InvalidOptionError } from '../options';
import type { Logger } from '../logger';
import type { RetrySettings } from './backoff';
import type { BatchLimits } from './batch';
import { Delivery } from './delivery';
import { DeliveryEvents } from './events';
import { MemoryStore } from './memory-store';
import type { DeliveryClaims } from './order-claim-hooks';
import { prepareSpoolDirectory, SpoolStore } from './spool/spool-store';
import type { Transport } from './transport';

export interface DeliverySetup {
  transport: Transport;
  logger: Logger;
  /** Absolute path of the spool directory, or undefined to keep hits in memory only. */
  spoolDir: string | undefined;
  maxQueue: number;
  batch: BatchLimits;
  retry: RetrySettings;
  claims: DeliveryClaims;
}

/**
 * Create the delivery queue of a tracker on a spool or in memory. Creates the spool directory and throws
 * an InvalidOptionError naming `spoolDir` when this process cannot use it.
 */
export function createDelivery(setup: DeliverySetup): { delivery: Delivery; events: DeliveryEvents } {
  const { transport, logger, spoolDir, maxQueue, batch, retry, claims } = setup;
  const events = new DeliveryEvents(logger);

  if (spoolDir !== undefined) {
    try {
      prepareSpoolDirectory(spoolDir);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidOptionError('createTracker', 'spoolDir', spoolDir,
        `a directory this process can create, read and write (${reason})`);
    }
  } else {
    logger.warn({ maxQueue },
      'no spoolDir set: order hits wait in memory only and are lost if the process stops before the track server accepts them');
  }

  const store = spoolDir === undefined ? new MemoryStore(maxQueue) : new SpoolStore(spoolDir, logger);
  const delivery = new Delivery({ transport, store, logger, events, claims, maxQueue, batch, retry });
  return { delivery, events };
}
