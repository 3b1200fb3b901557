import type { CollectedHit } from './decode';

/** A read-only view that the collector serves on GET, rendered from the hits recorded so far. */
export interface CollectorPage {
  contentType: string;
  render(hits: ReadonlyArray<CollectedHit>): string;
}

/**
 * Views served by the collector, keyed by request path. The request router looks paths up here, so adding
 * a view needs no change to the router.
 */
export const collectorPages: ReadonlyMap<string, CollectorPage> = new Map([
  ['/hits.json', { contentType: 'application/json; charset=utf-8', render: renderHitsJson }],
]);

/** Renders all hits as a JSON array, newest first. */
export function renderHitsJson(hits: ReadonlyArray<CollectedHit>): string {
  return JSON.stringify([...hits].reverse());
}
