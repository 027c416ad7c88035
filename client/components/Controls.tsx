// Start / stop / restart of one service; a request in flight disables its button (no double fire).
import { isActive, type ServiceStatus } from "../../shared/service.ts";
import type { ServiceAction } from "../net/api.ts";
import type { ServicesModel } from "../models/services.ts";

const LABELS: Record<ServiceAction, [idle: string, pending: string]> = {
  start: ["Start", "Starting…"],
  stop: ["Stop", "Stopping…"],
  restart: ["Restart", "Restarting…"],
};

function isUseful(action: ServiceAction, status: ServiceStatus): boolean {
  if (action === "start") return !isActive(status.state);
  if (action === "stop") return status.state !== "stopped" && status.state !== "exited" && status.state !== "crashed";
  return status.state !== "stopping";
}

export interface ControlsProps {
  services: ServicesModel;
  status: ServiceStatus;
  actions?: readonly ServiceAction[];
}

/** Buttons for the actions that make sense in the service's state. */
export function Controls({ services, status, actions = ["start", "stop", "restart"] }: ControlsProps) {
  if (services.isReadOnly.value) return null;
  return (
    <span class="controls">
      {actions.map((action) => {
        const isPending = services.isPending(status.name, action);
        const [idle, pending] = LABELS[action];
        return (
          <button
            key={action}
            type="button"
            class={`act act-${action}`}
            data-action={action}
            aria-busy={isPending}
            aria-label={`${idle} ${status.name}`}
            disabled={isPending || !isUseful(action, status)}
            onClick={(ev) => {
              ev.stopPropagation();
              void services.act(status.name, action);
            }}
          >
            {isPending ? pending : idle}
          </button>
        );
      })}
    </span>
  );
}
