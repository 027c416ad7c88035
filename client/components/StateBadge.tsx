// A service state as colour plus the word: never colour alone.
import type { ServiceState } from "../../shared/service.ts";

/** Coloured dot and state word; `data-state` lets styles and tests key on it. */
export function StateBadge({ state }: { state: ServiceState }) {
  return (
    <span class={`badge state-${state}`} data-state={state}>
      <span class="dot" aria-hidden="true" />
      {state}
    </span>
  );
}
