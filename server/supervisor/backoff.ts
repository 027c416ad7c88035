// Restart backoff, pure: SPEC.md "restart … backoff 1 s doubling to 30 s", reset after 10 s up.

/** First delay before a restart (SPEC.md: 1 s). */
export const BACKOFF_BASE_MS = 1_000;
/** Longest delay between two restarts (SPEC.md: 30 s). */
export const BACKOFF_CAP_MS = 30_000;
/** A service that stayed up this long starts its backoff again from the base delay (SPEC.md). */
export const BACKOFF_RESET_AFTER_MS = 10_000;

/** Delay before restart number `attempt` (0-based): base doubling per attempt, capped. */
export function nextDelay(attempt: number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  if (!Number.isFinite(attempt) || attempt <= 0) return Math.min(baseMs, capMs);
  // 2 ** attempt overflows to Infinity long before it matters; Math.min keeps the cap.
  return Math.min(baseMs * 2 ** Math.min(attempt, 32), capMs);
}

/** The attempt count to use for the next crash, given how long the last run stayed up. */
export function nextAttempt(previousAttempt: number, uptimeMs: number): number {
  return uptimeMs >= BACKOFF_RESET_AFTER_MS ? 0 : previousAttempt;
}
