// Host / Origin / token checks as one onRequest hook for the whole app (SPEC.md, Security).
import fp from "fastify-plugin";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errors } from "../errors.ts";
import { hostHeaderNames, hostName, isLoopback } from "./hosts.ts";
import { sendError } from "./reply.ts";
import { createTokenCheck, locationWithoutToken, readBearer, readCookie } from "./token.ts";

export interface GuardOptions {
  /** When set, every request must prove it (query on a page load, cookie, or Bearer). */
  token: string | null;
  /** console.allowed_hosts: extra Host names answered on loopback. */
  allowedHosts: readonly string[];
  /** The address the console listens on (`-H`): a loopback one (127.0.0.2) is a Host name it answers to. */
  listenHost?: string;
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];
export const TOKEN_COOKIE_PREFIX = "devdeck_token_";
// The cookie outlives a browser restart so a console tab reopens without the token URL.
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;

type Verdict = "ok" | "host" | "origin" | "token" | { redirect: string; cookie: string };

/** The cookie holding the token of the console listening on `port` (two consoles on one host keep theirs). */
export function tokenCookieName(port: number | string): string {
  return `${TOKEN_COOKIE_PREFIX}${port}`;
}

function isUpgrade(request: FastifyRequest): boolean {
  return request.headers.upgrade !== undefined;
}

function checkHostAndOrigin(request: FastifyRequest, allowed: ReadonlySet<string>, hasToken: boolean): Verdict {
  const host = request.headers.host;
  if (host === undefined || host === "") return "host";
  // With a token in force any Host is fine: a VM is reached by many names (SPEC.md, Security).
  if (!hasToken && !allowed.has(hostName(host))) return "host";
  const origin = request.headers.origin;
  const needsOrigin = isUpgrade(request) || (request.method !== "GET" && request.method !== "HEAD");
  // Exact match only: a dev server on http://localhost:3000 is another origin (SPEC.md).
  if (needsOrigin && origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) return "origin";
  return "ok";
}

function checkToken(request: FastifyRequest, isValid: (t: string | undefined) => boolean): Verdict {
  const upgrade = isUpgrade(request);
  const query = request.query as Record<string, unknown> | undefined;
  const queryToken = query?.["token"];
  const isPageLoad = !upgrade && (request.method === "GET" || request.method === "HEAD");
  if (isPageLoad && typeof queryToken === "string") {
    if (!isValid(queryToken)) return "token";
    const port = request.socket.localPort ?? "0";
    const cookie = `${tokenCookieName(port)}=${encodeURIComponent(queryToken)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}`;
    return { redirect: locationWithoutToken(request.url), cookie };
  }
  const bearer = readBearer(request.headers.authorization);
  // Browsers always send Origin on an upgrade; a client that sends none is a script and uses Bearer.
  if (upgrade && request.headers.origin === undefined) return isValid(bearer) ? "ok" : "token";
  const cookie = readCookie(request.headers.cookie, tokenCookieName(request.socket.localPort ?? "0"));
  return isValid(cookie) || isValid(bearer) ? "ok" : "token";
}

function refuse(reply: FastifyReply, request: FastifyRequest, verdict: Exclude<Verdict, "ok" | { redirect: string }>): FastifyReply {
  if (verdict === "host") return sendError(reply, errors.DD_ERR_FORBIDDEN_HOST(hostName(request.headers.host ?? "").slice(0, 100)));
  if (verdict === "origin") return sendError(reply, errors.DD_ERR_FORBIDDEN_ORIGIN());
  return sendError(reply, errors.DD_ERR_UNAUTHORIZED());
}

// The address devdeck printed (`-H 127.0.0.2` → http://127.0.0.2:PORT/) must work; beyond loopback a
// token is in force and any Host passes anyway, so only a loopback address is added.
function allowedHostNames(opts: GuardOptions): Set<string> {
  const bound = opts.listenHost !== undefined && isLoopback(opts.listenHost) ? hostHeaderNames(opts.listenHost) : [];
  return new Set([...LOOPBACK_HOSTS, ...bound, ...opts.allowedHosts.map((h) => h.toLowerCase())]);
}

async function guardPlugin(app: FastifyInstance, opts: GuardOptions): Promise<void> {
  const allowed = allowedHostNames(opts);
  const isValid = opts.token === null ? null : createTokenCheck(opts.token);
  app.addHook("onRequest", async (request, reply) => {
    let verdict = checkHostAndOrigin(request, allowed, isValid !== null);
    if (verdict === "ok" && isValid !== null) verdict = checkToken(request, isValid);
    if (verdict === "ok") return;
    if (typeof verdict === "object") {
      return reply.code(302).header("set-cookie", verdict.cookie).header("location", verdict.redirect).header("cache-control", "no-store").send();
    }
    return refuse(reply, request, verdict);
  });
  // A refused upgrade (here, or 400/404/503 further on) is answered on a socket Node no longer
  // manages: without this it stays half-open and the server never finishes closing.
  app.addHook("onResponse", async (request) => {
    if (isUpgrade(request)) request.raw.socket.destroy();
  });
}

/** The guard, applied app-wide (fastify-plugin skips encapsulation). */
export const guard = fp(guardPlugin, { name: "devdeck-guard", fastify: "5.x" });
