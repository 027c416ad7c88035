// /ws/status: a snapshot of every service, then one message per status change (SPEC.md).
import type { FastifyInstance } from "fastify";
import type { Supervisor } from "../supervisor/types.ts";
import type { StatusChannelMsg } from "../../shared/protocol.ts";
import { STATUS_PATH } from "../../shared/protocol.ts";
import { connectionCap, watchClient } from "./ws-limits.ts";

export interface WsStatusOptions {
  supervisor: Supervisor;
  maxConnections: number;
}

// Status messages are small and rare; a client this far behind is stalled. It is dropped rather than
// buffered without bound, and gets a fresh snapshot when it reconnects.
const STATUS_MAX_BUFFERED_BYTES = 1024 * 1024;

/** Registers the /ws/status channel. */
export async function wsStatus(app: FastifyInstance, opts: WsStatusOptions): Promise<void> {
  const { supervisor } = opts;
  app.get(STATUS_PATH, { websocket: true, onRequest: connectionCap(app, opts.maxConnections) }, (socket) => {
    watchClient(socket);
    const send = (msg: StatusChannelMsg) => socket.send(JSON.stringify(msg));
    send({ type: "snapshot", instance: supervisor.instance, services: supervisor.list() });
    const off = supervisor.onStatus((service) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > STATUS_MAX_BUFFERED_BYTES) return socket.terminate();
      send({ type: "status", service });
    });
    socket.on("close", off);
  });
}
