// How long the page waits before it tries the console again: doubling, capped, with jitter.

/** First retry after about this long (half to all of it, with jitter). */
export const RECONNECT_BASE_MS = 500;
/** Never wait longer: a console restarted on a dev box is back within seconds. */
export const RECONNECT_MAX_MS = 5_000;

/** Delay before attempt `attempt` (0-based): doubling from RECONNECT_BASE_MS, capped, with jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.min(attempt, 16));
  // Jitter spreads the reconnects of many tabs after a console restart.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
