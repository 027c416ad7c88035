// /ws/logs: replay of the lines after `since`, `live` per service, then new lines (SPEC.md).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Supervisor } from "../supervisor/types.ts";
import type { ResetMsg } from "../../shared/protocol.ts";
import { ALL_SERVICES, LOGS_PATH, parseSince } from "../../shared/protocol.ts";
import { errors } from "../errors.ts";
import { createBatcher, type BatcherLimits } from "./batcher.ts";
import { sendError } from "./reply.ts";
import { connectionCap, watchClient } from "./ws-limits.ts";

export interface WsLogsOptions {
  supervisor: Supervisor;
  maxConnections: number;
  /** Overrides of the batcher's sizes (tests and benchmarks). */
  limits?: Partial<BatcherLimits>;
}

interface LogsQuery {
  service: string;
  since?: string;
  instance?: string;
}

const logsQuery = {
  type: "object",
  required: ["service"],
  properties: {
    service: { type: "string", minLength: 1, maxLength: 200 },
    since: { type: "string", maxLength: 20_000 },
    instance: { type: "string", maxLength: 200 },
  },
} as const;

type LogsRequest = FastifyRequest<{ Querystring: LogsQuery }>;

/** Registers the /ws/logs channel. */
export async function wsLogs(app: FastifyInstance, opts: WsLogsOptions): Promise<void> {
  const { supervisor } = opts;
  // Before the upgrade: an unknown service or a malformed `since` refuses it with 404 / 400.
  const checkQuery = async (req: LogsRequest, reply: FastifyReply) => {
    const { service, since } = req.query;
    if (service !== ALL_SERVICES && !supervisor.has(service)) return sendError(reply, errors.DD_ERR_UNKNOWN_SERVICE(service));
    if (parseSince(since) === null) return sendError(reply, errors.DD_ERR_BAD_REQUEST("since must be SEQ or NAME:SEQ,NAME:SEQ"));
  };

  app.get<{ Querystring: LogsQuery }>(LOGS_PATH, { websocket: true, onRequest: connectionCap(app, opts.maxConnections), schema: { querystring: logsQuery }, preHandler: checkQuery }, (socket, req) => {
    watchClient(socket);
    const { service, instance } = req.query;
    const since = parseSince(req.query.since) ?? { all: 0, byService: new Map<string, number>() };
    const names = service === ALL_SERVICES ? supervisor.list().map((s) => s.name) : [service];
    // Seqs belong to one instance: a client of an earlier console gets the whole ring again.
    const isReset = instance !== undefined && instance !== supervisor.instance;
    if (isReset) socket.send(JSON.stringify({ type: "reset", instance: supervisor.instance } satisfies ResetMsg));
    const logs = names.map((name) => ({
      log: supervisor.logs.get(name) ?? supervisor.logs.create(name),
      // formatSince() encodes names; a client may or may not have encoded them once more.
      since: isReset ? 0 : (since.byService.get(name) ?? since.byService.get(encodeURIComponent(name)) ?? since.all),
    }));
    const batcher = createBatcher(socket, logs, opts.limits);
    socket.on("close", () => batcher.close());
    batcher.start();
  });
}
