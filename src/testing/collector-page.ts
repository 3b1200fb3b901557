import { renderCollectorHtml } from './collector-html';
import type { CollectedHit } from './decode';
import { markHits } from './hit-marks';

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
  ['/', { contentType: 'text/html; charset=utf-8', render: renderCollectorHtml }],
  ['/hits.json', { contentType: 'application/json; charset=utf-8', render: renderHitsJson }],
]);

/** Renders all hits with their marks as a JSON array, newest first. */
export function renderHitsJson(hits: ReadonlyArray<CollectedHit>): string {
  return JSON.stringify(markHits(hits).reverse());
}
