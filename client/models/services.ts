// Service statuses as signals, fed by /ws/status; per-service action state (pending, last error).
import { computed, signal, type ReadonlySignal } from "@preact/signals";
import type { StatusChannelMsg } from "../../shared/protocol.ts";
import { isFailed, type ServiceStatus } from "../../shared/service.ts";
import type { ServiceAction } from "../net/api.ts";

export type Health = "unknown" | "ok" | "failed";

/** The services model: statuses from /ws/status, actions through the HTTP API. */
export interface ServicesModel {
  /** In config order. */
  readonly list: ReadonlySignal<ServiceStatus[]>;
  /** The console instance of the last snapshot. */
  readonly instance: ReadonlySignal<string | null>;
  readonly health: ReadonlySignal<Health>;
  /** "web:restart" → true while that request is in flight. */
  readonly pending: ReadonlySignal<ReadonlySet<string>>;
  /** The console starts, stops and restarts nothing (--read-only): no buttons to offer. */
  readonly isReadOnly: ReadonlySignal<boolean>;
  setReadOnly(isReadOnly: boolean): void;
  /** The last refused request, in words (read-only console, unknown service …). */
  readonly notice: ReadonlySignal<string | null>;
  handle(msg: StatusChannelMsg): void;
  get(name: string): ServiceStatus | undefined;
  isPending(name: string, action: ServiceAction): boolean;
  /** Runs an action unless the same one is in flight: a button cannot double-fire. */
  act(name: string, action: ServiceAction): Promise<void>;
  /** Shows a message in the notice bar (null hides it). */
  tell(message: string | null): void;
  /** Listener gets (previous, next) on every status message; returns unsubscribe. */
  onChange(listener: (prev: ServiceStatus | undefined, next: ServiceStatus) => void): () => void;
}

/** Creates the model; `post` performs the HTTP request (net/api.ts postAction). */
export function createServicesModel(post: (name: string, action: ServiceAction) => Promise<unknown>): ServicesModel {
  const list = signal<ServiceStatus[]>([]);
  const instance = signal<string | null>(null);
  const pending = signal<ReadonlySet<string>>(new Set());
  const notice = signal<string | null>(null);
  const isReadOnly = signal(false);
  const listeners = new Set<(prev: ServiceStatus | undefined, next: ServiceStatus) => void>();
  const health = computed<Health>(() => {
    if (instance.value === null) return "unknown";
    return list.value.some((s) => isFailed(s.state)) ? "failed" : "ok";
  });
  const get = (name: string) => list.value.find((s) => s.name === name);

  const upsert = (next: ServiceStatus) => {
    const prev = get(next.name);
    // A few services and a few changes a second: replacing the array keeps signals simple.
    list.value = prev ? list.value.map((s) => (s.name === next.name ? next : s)) : [...list.value, next];
    for (const listener of listeners) listener(prev, next);
  };
  const setPending = (key: string, isOn: boolean) => {
    const next = new Set(pending.value);
    if (isOn) next.add(key);
    else next.delete(key);
    pending.value = next;
  };

  return {
    list,
    instance,
    health,
    pending,
    notice,
    isReadOnly,
    setReadOnly: (value) => {
      isReadOnly.value = value;
    },
    get,
    handle(msg) {
      switch (msg.type) {
        case "snapshot": {
          const before = new Map(list.value.map((s) => [s.name, s]));
          instance.value = msg.instance;
          list.value = msg.services;
          for (const next of msg.services) for (const listener of listeners) listener(before.get(next.name), next);
          break;
        }
        case "status":
          upsert(msg.service);
          break;
      }
    },
    isPending: (name, action) => pending.value.has(`${name}:${action}`),
    async act(name, action) {
      const key = `${name}:${action}`;
      if (pending.peek().has(key)) return;
      setPending(key, true);
      try {
        await post(name, action);
      } catch (err) {
        notice.value = err instanceof Error ? err.message : String(err);
      } finally {
        setPending(key, false);
      }
    },
    tell: (message) => {
      notice.value = message;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
