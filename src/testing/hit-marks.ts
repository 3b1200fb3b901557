import type { CollectedHit } from './decode';

/** Problems of one hit that the collector page highlights, because each one costs an order in Mapp's reports. */
export interface HitMarks {
  /** The hit has no `eid`, so Mapp cannot tie the order to the visitor's journey. */
  missingEid: boolean;
  /** Another recorded hit for the same track ID carries the same order ID, so the shop tracked the order twice. */
  duplicateOrderId: boolean;
  /** Parameters an order hit needs that this hit lacks, in the order of `REQUIRED_ORDER_PARAMETERS`. */
  missingParameters: string[];
}

/** A recorded hit together with its marks, as the collector serves it on `GET /hits.json`. */
export interface MarkedHit extends CollectedHit {
  marks: HitMarks;
}

/**
 * Parameters an order hit cannot do without. `p` carries the protocol version and page name of every Mapp
 * request, and Mapp counts no order without `ov`. `oi` is the order ID, which Mapp uses against counting
 * one order twice.
 */
export const REQUIRED_ORDER_PARAMETERS: readonly string[] = ['p', 'ov', 'oi'];

/** Marks every hit, comparing order IDs across all of them. Returns the hits in the order given. */
export function markHits(hits: ReadonlyArray<CollectedHit>): MarkedHit[] {
  const orderIdCounts = new Map<string, number>();
  for (const hit of hits) {
    const key = orderKey(hit);
    if (key !== undefined) {
      orderIdCounts.set(key, (orderIdCounts.get(key) ?? 0) + 1);
    }
  }

  return hits.map((hit) => {
    const key = orderKey(hit);
    const marks: HitMarks = {
      missingEid: hit.eid === undefined,
      duplicateOrderId: key !== undefined && (orderIdCounts.get(key) ?? 0) > 1,
      missingParameters: REQUIRED_ORDER_PARAMETERS.filter((name) => hit.params[name] === undefined),
    };
    return { ...hit, marks };
  });
}

/** True when the hit has at least one mark. */
export function hasMarks(marks: HitMarks): boolean {
  return marks.missingEid || marks.duplicateOrderId || marks.missingParameters.length > 0;
}

// Order IDs are compared per track ID, because two Mapp accounts may each receive an order with the same ID.
function orderKey(hit: CollectedHit): string | undefined {
  const orderId = hit.order?.id;
  return orderId === undefined || orderId === '' ? undefined : `${hit.trackId}\n${orderId}`;
}
