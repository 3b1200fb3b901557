export { createTracker } from './tracker';
export type {
  CloseOptions, RetryOptions, Tracker, TrackerOptions, TrackerSettings, TrackOrderOptions, TrackResult, VisitorSource,
} from './tracker';
export { captureEid } from './express/capture-eid';
export type { CaptureEidOptions } from './express/capture-eid';
export { orderConfirmation } from './express/order-confirmation';
export type { OrderConfirmationOptions } from './express/order-confirmation';
export { orderWebhook } from './express/order-webhook';
export type { OrderWebhookOptions } from './express/order-webhook';
export { FileClaimStore, FileVisitorStore, MemoryClaimStore, MemoryVisitorStore } from './stores';
export type { ClaimStore, FileStoreOptions, MemoryStoreOptions, VisitorStore } from './stores';
export { InvalidOrderError } from './protocol/order';
export type { Order, OrderProduct } from './protocol/order';
export type { Visitor, VisitorContext } from './protocol/visitor';
export type { EidCookieSource } from './protocol/eid';
export { DEFAULT_OPT_OUT_COOKIES } from './protocol/opt-out';
export { readEidFromCookieHeader, isValidEid } from './protocol/eid';
export { InvalidOptionError } from './options';
export type { Logger } from './logger';
export type { RouteMatcher } from './core/route';
export type { Transport, TransportResult } from './delivery/transport';
export { QueueFullError, TrackerClosedError } from './delivery/errors';
export type {
  DropReason, DroppedEvent, QueuedEvent, RejectedEvent, RetryEvent, SentEvent, TrackerEventListener, TrackerEventName, TrackerEvents,
} from './delivery/events';
export type { DeliveryStats } from './delivery/stats';
export type { DeadLetter, DeadLetterReason } from './delivery/types';
export { RETRY_POLICY } from './delivery/retry-policy';
export type { Outcome, PolicyRow } from './delivery/retry-policy';
