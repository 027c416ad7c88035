// The tab tells overall health from the background: title and favicon follow the services.
import { effect } from "@preact/signals";
import { isFailed } from "../../shared/service.ts";
import type { ConnectionModel } from "../models/connection.ts";
import type { ServicesModel } from "../models/services.ts";

export type TabHealth = "ok" | "failed" | "offline";

const COLORS: Record<TabHealth, string> = { ok: "#1f9d55", failed: "#d62d20", offline: "#8a8f98" };

/** An SVG favicon as a data: URL (the CSP allows data: images; no file to fetch). */
export function faviconUrl(health: TabHealth): string {
  const mark = health === "failed" ? "!" : "";
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${COLORS[health]}"/>` +
    `<text x="8" y="12" font-size="11" font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="#fff">${mark}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function setFavicon(health: TabHealth): void {
  let link = document.querySelector<HTMLLinkElement>("link[rel='icon']");
  if (!link) {
    link = document.createElement("link");
    link.rel = "icon";
    document.head.append(link);
  }
  if (link.dataset["health"] === health) return;
  link.dataset["health"] = health;
  link.href = faviconUrl(health);
}

/** Keeps document.title and the favicon in step; returns the disposer. */
export function watchDocumentHealth(services: ServicesModel, connection: ConnectionModel): () => void {
  return effect(() => {
    const list = services.list.value;
    const failed = list.filter((s) => isFailed(s.state)).map((s) => s.name);
    if (connection.state.value.kind === "lost") {
      document.title = "⚠ disconnected · devdeck";
      setFavicon("offline");
    } else if (failed.length > 0) {
      document.title = `✖ ${failed.join(", ")} ${failed.length === 1 ? "is" : "are"} failing · devdeck`;
      setFavicon("failed");
    } else {
      const running = list.filter((s) => s.state === "running").length;
      document.title = services.instance.value === null ? "devdeck" : `✓ ${running}/${list.length} running · devdeck`;
      setFavicon("ok");
    }
  });
}
