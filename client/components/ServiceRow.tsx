// One service in the list: name, state word, uptime, restarts, how it ended, its link, its buttons.
import type { ReadonlySignal } from "@preact/signals";
import { isActive, isFailed, type ServiceStatus } from "../../shared/service.ts";
import type { ServicesModel } from "../models/services.ts";
import { Controls } from "./Controls.tsx";
import { exitFact, formatDuration } from "./format.ts";
import { StateBadge } from "./StateBadge.tsx";

export interface ServiceRowProps {
  status: ServiceStatus;
  services: ServicesModel;
  now: ReadonlySignal<number>;
  isSelected: boolean;
  onSelect: () => void;
}

function facts(status: ServiceStatus, now: number): string[] {
  const out: string[] = [];
  if (status.state === "running" && status.startedAt !== null) out.push(`up ${formatDuration(now - status.startedAt)}`);
  if (status.state === "starting" && status.pid === null && status.reason) out.push(status.reason);
  if (status.state === "backoff" && status.nextRestartAt !== null) {
    out.push(`restart in ${formatDuration(Math.max(0, status.nextRestartAt - now) + 999)}`);
  }
  if (!isActive(status.state)) {
    const fact = exitFact(status);
    if (fact) out.push(fact);
  }
  if (status.restarts > 0) out.push(`${status.restarts} ${status.restarts === 1 ? "restart" : "restarts"}`);
  if (status.state === "stopped" && !status.autostart && status.startedAt === null) out.push("starts on request");
  return out;
}

/** A row of the service list. */
export function ServiceRow({ status, services, now, isSelected, onSelect }: ServiceRowProps) {
  const classes = `service${isSelected ? " selected" : ""}${isFailed(status.state) ? " failed" : ""}`;
  return (
    <li class={classes} data-service={status.name} aria-current={isSelected}>
      <button type="button" class="service-pick" onClick={onSelect}>
        <span class="service-name">{status.name}</span>
        <StateBadge state={status.state} />
      </button>
      <div class="service-facts">
        {facts(status, now.value).map((fact) => (
          <span key={fact} class="fact">
            {fact}
          </span>
        ))}
        {status.pty && <span class="fact">pty</span>}
      </div>
      <div class="service-bottom">
        {status.url && /^https?:\/\//i.test(status.url) && (
          <a class="service-url" href={status.url} target="_blank" rel="noopener noreferrer">
            {status.url.replace(/^https?:\/\//i, "")}
          </a>
        )}
        <Controls services={services} status={status} />
      </div>
    </li>
  );
}
