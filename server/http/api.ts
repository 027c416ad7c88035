// /api routes of SPEC.md (HTTP API) with JSON schemas; control requests answer 202 at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ResolvedConfig } from "../config/types.ts";
import type { Logger } from "../log.ts";
import type { ServiceLog } from "../logs/types.ts";
import type { Supervisor } from "../supervisor/types.ts";
import { ALL_SERVICES, type LogsBody } from "../../shared/protocol.ts";
import { errors, isDevdeckError } from "../errors.ts";
import { checkPortHolder, describeHolderStop, stopPortHolder } from "../supervisor/port-holder.ts";
import { sendError } from "./reply.ts";

export interface ApiOptions {
  supervisor: Supervisor;
  readOnly: boolean;
  logger: Logger;
  version: string;
  /** Stops every service, then the console; called once the 202 is on its way. */
  onShutdown: () => void;
  /** The services' stop_timeout bounds free-port's wait. */
  config: ResolvedConfig;
}

type ControlAction = "start" | "stop" | "restart";
const CONTROL_ACTIONS: readonly ControlAction[] = ["start", "stop", "restart"];
// Service names come from config keys; the cap only bounds what a request can make us echo.
const MAX_NAME_CHARS = 200;

const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", minLength: 1, maxLength: MAX_NAME_CHARS } },
} as const;

const logsQuery = {
  type: "object",
  properties: {
    since: { type: "integer", minimum: 0 },
    limit: { type: "integer", minimum: 0 },
    tail: { type: "integer", minimum: 0 },
  },
} as const;

const freePortBody = {
  type: "object",
  required: ["pid"],
  additionalProperties: false,
  // pid 0 and negatives would signal process groups: never accepted.
  properties: { pid: { type: "integer", minimum: 1, maximum: 2 ** 31 - 1 } },
} as const;

interface NameParams {
  name: string;
}
interface FreePortBody {
  pid: number;
}
interface LogsQuery {
  since?: number;
  limit?: number;
  tail?: number;
}

/** Registers the /api routes. */
export async function api(app: FastifyInstance, opts: ApiOptions): Promise<void> {
  const { supervisor } = opts;
  const log = opts.logger.child({ mod: "api" });
  // A route hook, so read-only wins over everything else: 403 for every control request (SPEC.md).
  const refuseWhenReadOnly = async (_req: FastifyRequest, reply: FastifyReply) => {
    if (opts.readOnly) return sendError(reply, errors.DD_ERR_READ_ONLY());
  };

  app.get("/api/console", async () => ({ instance: supervisor.instance, readOnly: opts.readOnly, version: opts.version }));

  app.get("/api/services", async () => supervisor.list());

  app.get<{ Params: NameParams }>("/api/services/:name", { schema: { params: nameParams } }, async (req, reply) => {
    const status = supervisor.get(req.params.name);
    return status ?? sendError(reply, errors.DD_ERR_UNKNOWN_SERVICE(req.params.name));
  });

  app.get<{ Params: NameParams; Querystring: LogsQuery }>(
    "/api/services/:name/logs",
    { schema: { params: nameParams, querystring: logsQuery } },
    async (req, reply) => {
      const { name } = req.params;
      // Every service has a log from the start: no log means no such service.
      const log = supervisor.logs.get(name);
      if (log === undefined) return sendError(reply, errors.DD_ERR_UNKNOWN_SERVICE(name));
      const { since = 0, limit, tail } = req.query;
      if (limit !== undefined && tail !== undefined) return sendError(reply, errors.DD_ERR_BAD_REQUEST("give limit or tail, not both"));
      return readLines(log, since, limit, tail);
    },
  );

  for (const action of CONTROL_ACTIONS) {
    app.post<{ Params: NameParams }>(
      `/api/services/:name/${action}`,
      { onRequest: refuseWhenReadOnly, schema: { params: nameParams } },
      async (req, reply) => {
        const { name } = req.params;
        if (name === ALL_SERVICES) {
          controlAll(supervisor, action).catch((err: unknown) => log.warn({ err, action }, "control request for all failed"));
          return reply.code(202).send(supervisor.list());
        }
        if (!supervisor.has(name)) return sendError(reply, errors.DD_ERR_UNKNOWN_SERVICE(name));
        // 202 at once: the state moves on /ws/status; a failure is the service's status, not this reply's.
        supervisor[action](name).catch((err: unknown) => log.warn({ err, service: name, action }, "control request failed"));
        return reply.code(202).send(supervisor.get(name));
      },
    );
  }

  registerFreePort(app, opts, refuseWhenReadOnly);

  app.post("/api/shutdown", { onRequest: refuseWhenReadOnly }, async (_req, reply) => {
    await reply.code(202).send({ shutdown: true });
    // After the answer is written, so `devdeck ctl shutdown` hears the 202 before sockets close.
    setImmediate(opts.onShutdown);
    return reply;
  });
}

/**
 * POST /api/services/NAME/free-port { pid }: stops the foreign process holding the service's port, then
 * starts the service. Unlike start/stop, the 202 comes once the port is free (or the holder was killed):
 * the wait is bounded by stop_timeout, and the page's button stays busy meanwhile, so a second click
 * cannot signal the same pid twice. Whatever the stop came to is a `system` line; the start that follows
 * checks the port again, so a holder that survived shows as the service's status, as any failed start.
 */
/**
 * `*` (README, extensions): stop goes dependents first; restart takes what is up or failing, not what the
 * user stopped; start takes every service (startAll orders them by depends_on).
 */
function controlAll(supervisor: Supervisor, action: ControlAction): Promise<void> {
  if (action === "stop") return supervisor.stopAll();
  if (action === "restart") return supervisor.restartAll();
  return supervisor.startAll(supervisor.list().map((s) => s.name));
}

function registerFreePort(app: FastifyInstance, opts: ApiOptions, refuseWhenReadOnly: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
  const { supervisor } = opts;
  const log = opts.logger.child({ mod: "api" });
  const beingFreed = new Set<string>();
  app.post<{ Params: NameParams; Body: FreePortBody }>(
    "/api/services/:name/free-port",
    { onRequest: refuseWhenReadOnly, schema: { params: nameParams, body: freePortBody } },
    async (req, reply) => {
      const { name } = req.params;
      const status = supervisor.get(name);
      const spec = opts.config.services.find((s) => s.name === name);
      if (!status || !spec) return sendError(reply, errors.DD_ERR_UNKNOWN_SERVICE(name));
      if (beingFreed.has(name)) return sendError(reply, errors.DD_ERR_PORT_BEING_FREED(status.port ?? "?", name));
      beingFreed.add(name);
      try {
        const owner = await checkPortHolder(status, req.body.pid, supervisor.list());
        if (isDevdeckError(owner)) return sendError(reply, owner);
        const port = status.port ?? 0; // checkPortHolder refused a service without a port
        const timeoutMs = spec.stopTimeoutMs;
        log.info({ service: name, pid: owner.pid, port }, "stopping the process holding the port");
        const stop = await stopPortHolder(owner.pid, port, timeoutMs);
        supervisor.logs.get(name)?.system(describeHolderStop(owner, port, stop, timeoutMs));
      } finally {
        beingFreed.delete(name);
      }
      supervisor.start(name).catch((err: unknown) => log.warn({ err, service: name }, "start after free-port failed"));
      return reply.code(202).send(supervisor.get(name));
    },
  );
}

function readLines(log: ServiceLog, since: number, limit: number | undefined, tail: number | undefined): LogsBody {
  const kept = Math.max(0, log.lastSeq - log.firstSeq + 1);
  if (tail !== undefined) return { lines: log.read(Math.max(since, log.lastSeq - tail), tail).lines };
  return { lines: log.read(since, limit ?? kept).lines };
}
