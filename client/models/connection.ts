// Whether the page is connected to the console: both channels open, or when the next attempt comes.
import { computed, signal, type ReadonlySignal } from "@preact/signals";

export type Channel = "status" | "logs";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "open" }
  /** At least one channel dropped after it had been open (or never opened); `retryAt` in ms since the epoch. */
  | { kind: "lost"; retryAt: number };

export interface ConnectionModel {
  readonly state: ReadonlySignal<ConnectionState>;
  opened(channel: Channel): void;
  lost(channel: Channel, retryAt: number): void;
}

/** Tracks the two WebSocket channels of SPEC.md. */
export function createConnectionModel(): ConnectionModel {
  const open = signal<ReadonlySet<Channel>>(new Set());
  const retries = signal<ReadonlyMap<Channel, number>>(new Map());
  const state = computed<ConnectionState>(() => {
    if (retries.value.size > 0) return { kind: "lost", retryAt: Math.min(...retries.value.values()) };
    return open.value.has("status") ? { kind: "open" } : { kind: "connecting" };
  });
  return {
    state,
    opened(channel) {
      open.value = new Set(open.value).add(channel);
      const next = new Map(retries.value);
      next.delete(channel);
      retries.value = next;
    },
    lost(channel, retryAt) {
      const next = new Set(open.value);
      next.delete(channel);
      open.value = next;
      retries.value = new Map(retries.value).set(channel, retryAt);
    },
  };
}
