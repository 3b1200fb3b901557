/**
 * Let a promise run on without the request waiting for it. The promises handed here log their own
 * failures through tracker.logger, which never throws. The empty catch is the last guard: an unhandled
 * rejection ends a Node process by default, so no mistake in tracking may surface as one.
 */
export function runInBackground(task: Promise<unknown>): void {
  task.catch(() => undefined);
}
