// A coarse clock for uptimes and countdowns: one signal, ticking once a second, shared by every row.
import { signal, type ReadonlySignal } from "@preact/signals";

/** Uptimes show whole seconds. */
export const CLOCK_TICK_MS = 1_000;

/** ms since the epoch, updated every CLOCK_TICK_MS while the page is open. */
export function createClock(): ReadonlySignal<number> {
  const now = signal(Date.now());
  setInterval(() => (now.value = Date.now()), CLOCK_TICK_MS);
  return now;
}
