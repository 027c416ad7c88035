// Optional desktop notification when a service starts failing: off until turned on (remembered).
import { describeEnd, isFailed } from "../../shared/service.ts";
import type { ServicesModel } from "../models/services.ts";
import type { ViewModel } from "../models/view.ts";

/** Turns notifications on (asking the browser's permission) or off. */
export async function toggleNotifications(view: ViewModel, services: ServicesModel): Promise<void> {
  if (view.notifyOnCrash.peek()) {
    view.notifyOnCrash.value = false;
    return;
  }
  if (typeof Notification === "undefined") {
    services.tell("This browser has no desktop notifications.");
    return;
  }
  const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
  view.notifyOnCrash.value = permission === "granted";
  if (permission !== "granted") services.tell("Notifications are blocked for this page in the browser's settings.");
}

/** Notifies on each transition into crashed/backoff while turned on; returns unsubscribe. */
export function watchCrashes(services: ServicesModel, view: ViewModel): () => void {
  return services.onChange((prev, next) => {
    if (!prev || isFailed(prev.state) || !isFailed(next.state)) return;
    if (!view.notifyOnCrash.peek() || typeof Notification === "undefined" || Notification.permission !== "granted") return;
    const note = new Notification(`${next.name} crashed`, { body: describeEnd(next) ?? next.state, tag: `devdeck-${next.name}` });
    note.onclick = () => {
      window.focus();
      view.select(next.name);
    };
  });
}
