// Shown while the page cannot reach the console; it reconnects by itself, or at once on request.
import type { ReadonlySignal } from "@preact/signals";
import type { ConnectionModel } from "../models/connection.ts";

export interface ConnectionBannerProps {
  connection: ConnectionModel;
  now: ReadonlySignal<number>;
  onReconnect: () => void;
}

/** The "connection lost" banner. */
export function ConnectionBanner({ connection, now, onReconnect }: ConnectionBannerProps) {
  const state = connection.state.value;
  if (state.kind !== "lost") return null;
  const seconds = Math.max(0, Math.ceil((state.retryAt - now.value) / 1000));
  return (
    <div class="banner" role="status" data-testid="connection-banner">
      <strong>Connection to the console lost.</strong>
      <span>{seconds > 0 ? ` Reconnecting in ${seconds}s…` : " Reconnecting…"}</span>
      <button type="button" onClick={onReconnect}>
        Reconnect now
      </button>
    </div>
  );
}
