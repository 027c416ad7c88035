// The one shape of an HTTP error: `{ error, code }` with the status of its DD_ERR_* entry.
import type { FastifyReply } from "fastify";
import type { DevdeckError } from "../errors.ts";
import type { ErrorBody } from "../../shared/protocol.ts";

/** Answers with a devdeck error; the message never carries a token (callers build it from safe parts). */
export function sendError(reply: FastifyReply, err: DevdeckError): FastifyReply {
  const body: ErrorBody = { error: err.message, code: err.code };
  return reply.code(err.statusCode).type("application/json; charset=utf-8").send(body);
}
