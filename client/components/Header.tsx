// Top bar: overall health in words, restart-all / stop-all, crash notifications, help.
import { useSignal } from "@preact/signals";
import { ALL_SERVICES } from "../../shared/protocol.ts";
import { isFailed } from "../../shared/service.ts";
import type { ServiceAction } from "../net/api.ts";
import type { ServicesModel } from "../models/services.ts";
import type { ViewModel } from "../models/view.ts";
import { toggleNotifications } from "./crash-notify.ts";

export interface HeaderProps {
  services: ServicesModel;
  view: ViewModel;
}

function summary(services: ServicesModel): string {
  const list = services.list.value;
  if (services.instance.value === null) return "connecting…";
  const running = list.filter((s) => s.state === "running").length;
  const failed = list.filter((s) => isFailed(s.state)).length;
  const parts = [`${running} of ${list.length} running`];
  if (failed > 0) parts.push(`${failed} failing`);
  return parts.join(" · ");
}

/** The header bar. */
export function Header({ services, view }: HeaderProps) {
  const bulk = useSignal<ServiceAction | null>(null);
  // One request for all: the console stops dependents first and restarts only what is up or failing.
  const runAll = async (action: "stop" | "restart") => {
    if (bulk.value !== null) return;
    bulk.value = action;
    await services.act(ALL_SERVICES, action);
    bulk.value = null;
  };
  const health = services.health.value;
  return (
    <header class="topbar">
      <h1 class="brand">devdeck</h1>
      <span class={`health health-${health}`} data-health={health}>
        {summary(services)}
      </span>
      {services.isReadOnly.value && (
        <span class="note" title="This console starts, stops and restarts nothing">
          read-only
        </span>
      )}
      <span class="spacer" />
      {!services.isReadOnly.value && (
        <>
          <button type="button" disabled={bulk.value !== null} aria-busy={bulk.value === "restart"} onClick={() => void runAll("restart")}>
            {bulk.value === "restart" ? "Restarting all…" : "Restart all"}
          </button>
          <button type="button" disabled={bulk.value !== null} aria-busy={bulk.value === "stop"} onClick={() => void runAll("stop")}>
            {bulk.value === "stop" ? "Stopping all…" : "Stop all"}
          </button>
        </>
      )}
      <button
        type="button"
        class="toggle"
        aria-pressed={view.notifyOnCrash.value}
        title="Desktop notification when a service crashes"
        onClick={() => void toggleNotifications(view, services)}
      >
        Notify
      </button>
      <button type="button" title="Keyboard shortcuts (?)" aria-label="keyboard shortcuts" onClick={() => (view.isHelpOpen.value = true)}>
        ?
      </button>
    </header>
  );
}
