import type { Logger } from '../logger';
import type { HitStore } from './hit-store';
import type { DeliveryClaims } from './order-claim-hooks';
import type { DeadLetter, PendingHit } from './types';

/**
 * Take one dead letter from the store and claim its order ID again. Returns the hit to queue, `superseded`
 * when the order ID is claimed already (a later trigger sent the order, so the dead letter is discarded),
 * or `taken` when another call or process took the dead letter first.
 */
export async function reviveDeadLetter(
  deadLetter: DeadLetter,
  { store, claims, logger }: { store: HitStore; claims: DeliveryClaims; logger: Logger },
): Promise<PendingHit | 'superseded' | 'taken'> {
  const hit = await store.takeDeadLetter(deadLetter);
  if (hit === undefined) {
    return 'taken';
  }

  // NOTE: a claim whose release failed when the hit became a dead letter still counts as claimed here, so
  // that dead letter is discarded too, although no later trigger sent its order.
  if (!await claims.reclaim(hit.orderId)) {
    await store.acknowledge([hit]);
    logger.info({ orderId: hit.orderId, hitId: hit.id },
      'dead letter discarded: its order ID was claimed again meanwhile, so a later trigger has sent the order');
    return 'superseded';
  }
  return hit;
}
