// WebSocket limits set on purpose: small payloads, no compression, a connection cap, pings that reap
// dead peers, and no patience for chatty clients (the protocol needs no client messages).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { errors } from "../errors.ts";
import { sendError } from "./reply.ts";

/** Largest message a client may send: the protocol needs none, so this only bounds abuse. */
export const WS_MAX_PAYLOAD_BYTES = 4 * 1024;
/** Open WebSockets across both channels at most; more are refused with 503. */
export const WS_MAX_CONNECTIONS = 200;
/** A ping this often; a peer that has not answered the previous one is terminated. */
export const WS_PING_INTERVAL_MS = 30_000;
/** Client messages tolerated per ping interval before the socket is closed. */
export const WS_MAX_CLIENT_MESSAGES = 100;
// RFC 6455 §7.4.1: 1003 unsupported data, 1008 policy violation.
const CLOSE_UNSUPPORTED = 1003;
const CLOSE_POLICY = 1008;

/** Options for @fastify/websocket's ws server. */
export const WS_SERVER_OPTIONS = {
  maxPayload: WS_MAX_PAYLOAD_BYTES,
  // Log frames are many and large; deflate would cost CPU and memory per client for loopback traffic.
  perMessageDeflate: false,
  clientTracking: true,
} as const;

const alive = new WeakSet<WebSocket>();
const messageCounts = new WeakMap<WebSocket, number>();

/** A route hook refusing upgrades beyond `max` open sockets (both channels count) with 503. */
export function connectionCap(app: FastifyInstance, max = WS_MAX_CONNECTIONS): (req: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  return async (_req, reply) => {
    if (app.websocketServer.clients.size >= max) return sendError(reply, errors.DD_ERR_TOO_MANY_CONNECTIONS());
  };
}

/** Pings every client each interval and terminates those that did not answer the last ping. */
export function startHeartbeat(app: FastifyInstance, intervalMs = WS_PING_INTERVAL_MS): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook("onReady", async () => {
    timer = setInterval(() => {
      for (const socket of app.websocketServer.clients) {
        if (!alive.has(socket)) {
          socket.terminate();
          continue;
        }
        alive.delete(socket);
        messageCounts.set(socket, 0);
        socket.ping();
      }
    }, intervalMs);
    timer.unref();
  });
  app.addHook("onClose", async () => clearInterval(timer));
}

/** Marks a new socket alive, and ignores what it sends unless it floods (then it is closed). */
export function watchClient(socket: WebSocket): void {
  alive.add(socket);
  socket.on("pong", () => alive.add(socket));
  socket.on("message", (_data, isBinary) => {
    if (isBinary) return socket.close(CLOSE_UNSUPPORTED, "no client messages expected");
    const count = (messageCounts.get(socket) ?? 0) + 1;
    messageCounts.set(socket, count);
    if (count > WS_MAX_CLIENT_MESSAGES) socket.close(CLOSE_POLICY, "too many client messages");
  });
}
