// The page a proxied host shows while its service cannot answer: self-contained, no script, reloads itself.
import type { ServiceState } from "../../shared/service.ts";

// The page reloads until the service answers: it then "turns into" the service without a script.
const REFRESH_S = 1;

/** What the page says: which service, in which state, and why. */
export interface UnavailableInfo {
  service: string;
  state: ServiceState;
  /** Why, in words (status.reason, exit code …), or null. */
  reason: string | null;
  consoleUrl: string;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Headers for the page: no caching, no scripts, nothing loaded from elsewhere. */
export const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "retry-after": String(REFRESH_S),
} as const;

/** The HTML of the "service not running" page; every dynamic text escaped. */
export function renderUnavailablePage(info: UnavailableInfo): string {
  const name = escapeHtml(info.service);
  const state = escapeHtml(info.state);
  const reason = info.reason ? `<p class="why">${escapeHtml(info.reason)}</p>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${REFRESH_S}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name}: ${state} — devdeck</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 15vh auto; max-width: 36rem; padding: 0 1rem; color: #222; background: #fafafa; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
.state { font-family: ui-monospace, monospace; padding: .1rem .4rem; border-radius: .3rem; background: #eee; }
.why { font-family: ui-monospace, monospace; white-space: pre-wrap; color: #a33; }
.hint { color: #666; font-size: .9rem; }
@media (prefers-color-scheme: dark) { body { color: #ddd; background: #1b1b1b; } .state { background: #333; } .why { color: #f88; } .hint { color: #999; } }
</style>
</head>
<body>
<h1><span class="name">${name}</span> is <span class="state">${state}</span></h1>
${reason}
<p class="hint">This page reloads itself and shows the service once it answers.
Start it or read its logs in the <a href="${escapeHtml(info.consoleUrl)}">devdeck console</a>.</p>
</body>
</html>
`;
}
