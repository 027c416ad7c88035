// The front door of SPEC.md (console.proxy): http://NAME.localhost:PORT/ → service NAME's port on loopback,
// HTTP and WebSocket upgrades alike, with the console's Host and token rules.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createProxyServer, type ProxyServer } from "http-proxy-3";
import type { ResolvedConfig } from "../config/types.ts";
import type { Supervisor } from "../supervisor/types.ts";
import type { Logger } from "../log.ts";
import { DevdeckError, errors } from "../errors.ts";
import { isLoopback } from "../http/hosts.ts";
import { describePortOwner, findPortOwner } from "../supervisor/port-owner.ts";
import { admit, unavailableReply, type AdmitContext, type Reply } from "./admit.ts";
import { proxyCookieName } from "./auth.ts";
import { createUpstreams, type Upstreams } from "./upstream.ts";

export interface ProxyDeps {
  supervisor: Supervisor;
  config: ResolvedConfig;
  /** The console's token when it requires one (beyond loopback, or console.auth: token); null otherwise. */
  token: string | null;
  /** Linked from the "not running" page. */
  consoleUrl: string;
  logger: Logger;
}

// main.ts takes it from here, with the rest of the module it loads on demand.
export { isLoopback };

/** The proxy's server: listens on demand, closes every connection it holds. */
export interface FrontDoor {
  /** Resolves with the port bound (useful with 0). */
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

interface Forwarder {
  ctx: AdmitContext;
  proxy: ProxyServer;
  upstreams: Upstreams;
  log: Logger;
}

/** Builds the front door; nothing listens until `listen`. */
export function createProxy(deps: ProxyDeps): FrontDoor {
  const log = deps.logger.child({ mod: "proxy" });
  // changeOrigin false: the dev server sees Host NAME.localhost:PORT, as the browser sent it. Vite
  // (server.allowedHosts), Django in DEBUG (ALLOWED_HOSTS=[] → .localhost) and Rails' development
  // config.hosts accept *.localhost by default; keeping the Host also keeps their CSRF Origin checks
  // (Origin must match Host) and the redirects and absolute URLs they build pointing at the proxy.
  // A NAME.ALLOWED host must be allowed by the dev server as well, like any host it is reached by.
  const proxy = createProxyServer({ ws: true, xfwd: true, changeOrigin: false });
  proxy.on("error", (err) => log.debug({ err }, "proxy error"));
  const ctx: AdmitContext = { ...deps, cookieName: proxyCookieName(0) };
  const fwd: Forwarder = { ctx, proxy, upstreams: createUpstreams(), log };
  const server = createServer((req, res) => forwardRequest(fwd, req, res));
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => forwardUpgrade(fwd, req, socket, head));
  server.on("clientError", (_err, socket: Duplex) => socket.destroy());
  const connections = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  return {
    async listen(host, port) {
      if (deps.token === null && !isLoopback(host)) throw errors.DD_ERR_TOKEN_REQUIRED(host);
      const bound = await listenOn(server, host, port);
      ctx.cookieName = proxyCookieName(bound);
      log.info({ host, port: bound }, "proxy listening");
      return bound;
    },
    async close() {
      const closed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      // Upgraded sockets (hot-reload channels) never end by themselves: close() would wait forever.
      for (const socket of connections) socket.destroy();
      await closed;
    },
  };
}

function forwardRequest({ ctx, proxy, upstreams, log }: Forwarder, req: IncomingMessage, res: ServerResponse): void {
  req.on("error", (err) => log.debug({ err }, "request error"));
  res.on("error", (err) => log.debug({ err }, "response error"));
  const admission = admit(ctx, req, false);
  if (admission.kind === "reply") return sendReply(res, admission.reply);
  const { service, port } = admission;
  proxy.web(req, res, { target: { host: upstreams.address(service), port } }, (err) => {
    const isRefused = (err as NodeJS.ErrnoException).code === "ECONNREFUSED";
    if (isRefused) upstreams.refused(service, port);
    log.debug({ err, service }, "upstream failed");
    if (res.headersSent) return void res.destroy();
    const why = isRefused ? `nothing answers on port ${port} yet` : `the dev server failed to answer: ${err.message}`;
    const reply = unavailableReply(ctx, service, why);
    sendReply(res, isRefused ? reply : { ...reply, status: 502 });
  });
}

function forwardUpgrade({ ctx, proxy, upstreams, log }: Forwarder, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on("error", (err) => log.debug({ err }, "upgrade socket error"));
  const admission = admit(ctx, req, true);
  if (admission.kind === "reply") {
    const { status, body } = admission.reply;
    // A WebSocket client shows no page: a status and one line say it.
    return refuseUpgrade(socket, status, status === 503 ? "the service is not running\n" : body);
  }
  const { service, port } = admission;
  proxy.ws(req, socket, head, { target: { host: upstreams.address(service), port } }, (err) => {
    log.debug({ err, service }, "upstream upgrade failed");
    // Refused: no byte has reached the client yet, so it can still get a status line.
    if ((err as NodeJS.ErrnoException).code === "ECONNREFUSED") {
      upstreams.refused(service, port);
      refuseUpgrade(socket, 503, `nothing answers on port ${port} yet\n`);
    }
  });
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code !== "EADDRINUSE") return reject(err);
      // Name who holds the port, as a service does (SPEC.md, Service status).
      void findPortOwner(port).then((owner) => {
        const text = describePortOwner(port, owner).replace("this service's port", "console.proxy.port");
        reject(new DevdeckError(errors.DD_ERR_PORT_IN_USE.code, `proxy: ${text}`, errors.DD_ERR_PORT_IN_USE.statusCode));
      });
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function sendReply(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

function refuseUpgrade(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed) return;
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}`, "Connection: close", "Content-Type: text/plain; charset=utf-8"];
  socket.end(`${head.join("\r\n")}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
