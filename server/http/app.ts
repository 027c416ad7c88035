// buildApp(deps): the console's Fastify instance with every plugin registered. Never listens.
import Fastify, { LogController, type FastifyError, type FastifyInstance } from "fastify";
import fastifyWebsocket from "@fastify/websocket";
import type { ResolvedConfig } from "../config/types.ts";
import type { Logger } from "../log.ts";
import type { Supervisor } from "../supervisor/types.ts";
import { errors, isDevdeckError } from "../errors.ts";
import { api } from "./api.ts";
import type { BatcherLimits } from "./batcher.ts";
import { guard } from "./guard.ts";
import { sendError } from "./reply.ts";
import { staticFiles } from "./static.ts";
import { startHeartbeat, WS_MAX_CONNECTIONS, WS_SERVER_OPTIONS } from "./ws-limits.ts";
import { wsLogs } from "./ws-logs.ts";
import { wsStatus } from "./ws-status.ts";

export interface AppDeps {
  supervisor: Supervisor;
  config: ResolvedConfig;
  logger: Logger;
  /** token: required on every request when set (SPEC.md, Security). */
  auth: { token: string | null };
  readOnly: boolean;
  /** The address main.ts listens on (`-H`): a loopback one is a Host name the console answers to. */
  listenHost?: string;
  /** Folder of the built UI. */
  uiDir: string;
  version?: string;
  /** POST /api/shutdown: stop everything and exit. Default: stop every service. */
  onShutdown?: () => void;
  /** Batcher sizes (tests, benchmarks). */
  batch?: Partial<BatcherLimits>;
  maxConnections?: number;
}

/** Request bodies are never needed (control requests carry none): keep the limit small. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The console app, ready to `listen` (only main.ts and tests do that). */
export function buildApp(deps: AppDeps): FastifyInstance {
  const { supervisor, logger } = deps;
  const app = Fastify({
    loggerInstance: logger.child({ mod: "http" }),
    // Request lines would log URLs, and a page load's URL carries `?token=` (SPEC.md: never logged).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    trustProxy: false,
  }) as unknown as FastifyInstance;

  // ---- JSON only: a text/plain or form body is refused with 415 (no CSRF by simple requests) ----
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));

  // ---- errors: `{ error, code }` everywhere ----
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (isDevdeckError(err)) return sendError(reply, err);
    if (err.validation) return sendError(reply, errors.DD_ERR_BAD_REQUEST(err.message));
    const status = err.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: err.message, code: err.code });
    app.log.error({ err }, "request failed");
    return reply.code(500).send({ error: "internal error" });
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, errors.DD_ERR_NOT_FOUND()));
  app.addHook("onSend", async (_req, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });

  // ---- security: one onRequest hook for Host, Origin and token ----
  // Registered first, so its hook runs before every other one.
  const allowedHosts = deps.config.console.allowedHosts;
  void app.register(guard, deps.listenHost === undefined ? { token: deps.auth.token, allowedHosts } : { token: deps.auth.token, allowedHosts, listenHost: deps.listenHost });

  // ---- WebSocket server with deliberate limits ----
  void app.register(fastifyWebsocket, { options: WS_SERVER_OPTIONS, preClose: closeSockets(app) });
  startHeartbeat(app);

  // ---- routes ----
  const onShutdown = deps.onShutdown ?? (() => void supervisor.stopAll().catch((err: unknown) => app.log.error({ err }, "stopAll failed")));
  const maxConnections = deps.maxConnections ?? WS_MAX_CONNECTIONS;
  void app.register(api, { supervisor, readOnly: deps.readOnly, logger, version: deps.version ?? "0.0.0", onShutdown, config: deps.config });
  void app.register(wsStatus, { supervisor, maxConnections });
  void app.register(wsLogs, deps.batch === undefined ? { supervisor, maxConnections } : { supervisor, maxConnections, limits: deps.batch });
  void app.register(staticFiles, { uiDir: deps.uiDir });
  return app;
}

// RFC 6455 §7.4.1: 1001 "going away". A peer that does not answer the close is cut off, so closing
// the console never waits on a stalled client.
const CLOSE_GOING_AWAY = 1001;
const CLOSE_GRACE_MS = 1_000;

function closeSockets(app: FastifyInstance): () => Promise<void> {
  return async () => {
    const wss = app.websocketServer;
    for (const socket of wss.clients) {
      socket.close(CLOSE_GOING_AWAY, "devdeck is shutting down");
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    }
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
