export { startCollector } from './collector';
export type {
  Collector,
  CollectorBehaviour,
  CollectorOptions,
  CollectedRequest,
  WaitForHitsOptions,
} from './collector';
export { decodeHitLine } from './decode';
export type { CollectedHit, HitLineMeta, HitOrder, HitPage, HitProduct } from './decode';
export { markHits, REQUIRED_ORDER_PARAMETERS } from './hit-marks';
export type { HitMarks, MarkedHit } from './hit-marks';
