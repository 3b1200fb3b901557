import Joi from 'joi';

import type { Tracker } from '../tracker';

/** joi rule for the `tracker` option of every middleware factory. */
export const trackerOptionSchema = Joi.object().custom((value: unknown) => {
  if (!isTracker(value)) {
    throw new Error('not a tracker');
  }
  return value;
}).unknown(true).required().description('the object returned by createTracker({ trackId, trackDomain })');

function isTracker(value: unknown): value is Tracker {
  const candidate = value as Partial<Tracker> | null;
  return typeof candidate === 'object' && candidate !== null
    && typeof candidate.trackOrder === 'function' && typeof candidate.settings === 'object';
}
