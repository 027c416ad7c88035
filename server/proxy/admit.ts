// Whether a proxy request goes through: Host names a service, the token (when required), the service running.
import type { IncomingMessage } from "node:http";
import type { ResolvedConfig } from "../config/types.ts";
import { describeEnd, type ServiceState } from "../../shared/service.ts";
import type { Supervisor } from "../supervisor/types.ts";
import { errors } from "../errors.ts";
import { checkProxyToken, stripProxyCredentials } from "./auth.ts";
import { PAGE_HEADERS, renderUnavailablePage } from "./page.ts";
import { serviceForHost } from "./route.ts";

/** What admission needs to know. */
export interface AdmitContext {
  supervisor: Supervisor;
  config: ResolvedConfig;
  token: string | null;
  /** The token cookie's name: it carries the proxy's bound port. */
  cookieName: string;
  consoleUrl: string;
}

/** An answer devdeck gives itself instead of proxying. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Admission = { kind: "proxy"; service: string; port: number } | { kind: "reply"; reply: Reply };

const TEXT_HEADERS = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": "no-store" };

/** Decides one request or upgrade; strips devdeck's credentials from those it lets through. */
export function admit(ctx: AdmitContext, req: IncomingMessage, isUpgrade: boolean): Admission {
  const service = serviceForHost(req.headers.host, ctx.config.services, ctx.config.console.allowedHosts);
  if (!service || service.port === null) return { kind: "reply", reply: forbiddenHost(req.headers.host) };
  if (ctx.token !== null) {
    const auth = checkProxyToken(req, ctx.token, ctx.cookieName, isUpgrade);
    if (auth.kind === "denied") return { kind: "reply", reply: textReply(401, `${errors.DD_ERR_UNAUTHORIZED().message}\n`) };
    if (auth.kind === "redirect") {
      const headers = { ...TEXT_HEADERS, location: auth.location, "set-cookie": auth.setCookie };
      return { kind: "reply", reply: { status: 302, headers, body: "" } };
    }
    stripProxyCredentials(req, ctx.token, ctx.cookieName);
  }
  const status = ctx.supervisor.get(service.name);
  if (status?.state !== "running") {
    return { kind: "reply", reply: unavailableReply(ctx, service.name, status ? describeEnd(status) : null) };
  }
  return { kind: "proxy", service: service.name, port: service.port };
}

/** The 503 page for `service` in its current state, with `reason` (or the status's own). */
export function unavailableReply(ctx: AdmitContext, name: string, reason: string | null): Reply {
  const state: ServiceState = ctx.supervisor.get(name)?.state ?? "stopped";
  return {
    status: 503,
    headers: { ...PAGE_HEADERS },
    body: renderUnavailablePage({ service: name, state, reason, consoleUrl: ctx.consoleUrl }),
  };
}

function forbiddenHost(host: string | undefined): Reply {
  const why = `host '${host ?? ""}' does not name a service: use NAME.localhost (or NAME.<a name in console.allowed_hosts>) for a service with a port`;
  return textReply(403, `${why}\n`);
}

function textReply(status: number, body: string): Reply {
  return { status, headers: { ...TEXT_HEADERS }, body };
}
