// Every DD_ERR_* code, its message and HTTP status, in one place. The README lists each code.
import { format } from "node:util";

export class DevdeckError extends Error {
  readonly code: string;
  readonly statusCode: number;
  constructor(code: string, message: string, statusCode: number) {
    super(message);
    this.name = "DevdeckError";
    this.code = code;
    this.statusCode = statusCode;
  }
}

export interface ErrorFactory {
  readonly code: string;
  readonly statusCode: number;
  (...args: Array<string | number>): DevdeckError;
}

function createError(code: string, template: string, statusCode = 500): ErrorFactory {
  const make = (...args: Array<string | number>) => new DevdeckError(code, format(template, ...args), statusCode);
  return Object.assign(make, { code, statusCode });
}

export const errors = {
  DD_ERR_CONFIG_NOT_FOUND: createError("DD_ERR_CONFIG_NOT_FOUND", "no devdeck.yaml, devdeck.yml, devdeck.json or Procfile in %s", 2),
  DD_ERR_CONFIG_INVALID: createError("DD_ERR_CONFIG_INVALID", "%s", 2),
  DD_ERR_BAD_ARGS: createError("DD_ERR_BAD_ARGS", "%s", 2),
  DD_ERR_UNKNOWN_SERVICE: createError("DD_ERR_UNKNOWN_SERVICE", "unknown service '%s'", 404),
  DD_ERR_BAD_REQUEST: createError("DD_ERR_BAD_REQUEST", "%s", 400),
  DD_ERR_READ_ONLY: createError("DD_ERR_READ_ONLY", "the console is read-only", 403),
  DD_ERR_FORBIDDEN_HOST: createError("DD_ERR_FORBIDDEN_HOST", "host '%s' is not allowed (add it to console.allowed_hosts)", 403),
  DD_ERR_FORBIDDEN_ORIGIN: createError("DD_ERR_FORBIDDEN_ORIGIN", "cross-origin request refused", 403),
  DD_ERR_UNAUTHORIZED: createError("DD_ERR_UNAUTHORIZED", "a valid token is required", 401),
  DD_ERR_TOO_MANY_CONNECTIONS: createError("DD_ERR_TOO_MANY_CONNECTIONS", "too many connections", 503),
  DD_ERR_NOT_FOUND: createError("DD_ERR_NOT_FOUND", "not found", 404),
  DD_ERR_PORT_IN_USE: createError("DD_ERR_PORT_IN_USE", "port %s on %s is already in use (try --port 0)", 1),
  DD_ERR_TOKEN_REQUIRED: createError("DD_ERR_TOKEN_REQUIRED", "refusing to listen on %s without a token", 1),
  DD_ERR_ALREADY_RUNNING: createError("DD_ERR_ALREADY_RUNNING", "devdeck is already running for %s at %s", 1),
  // POST /api/services/NAME/free-port: the holder is checked again when the request arrives (README, "Freeing a taken port").
  DD_ERR_NO_PORT: createError("DD_ERR_NO_PORT", "service '%s' has no port", 409),
  DD_ERR_PORT_FREE: createError("DD_ERR_PORT_FREE", "port %s is free already: start '%s' instead", 409),
  DD_ERR_PORT_HOLDER_CHANGED: createError("DD_ERR_PORT_HOLDER_CHANGED", "port %s is held by %s now, not by pid %s", 409),
  DD_ERR_PORT_HOLDER_NOT_YOURS: createError("DD_ERR_PORT_HOLDER_NOT_YOURS", "pid %s belongs to user %s: devdeck stops only its own user's processes", 409),
  DD_ERR_PORT_HOLDER_IS_DEVDECK: createError("DD_ERR_PORT_HOLDER_IS_DEVDECK", "pid %s is %s: stop it with the normal stop", 409),
  DD_ERR_PORT_BEING_FREED: createError("DD_ERR_PORT_BEING_FREED", "port %s of '%s' is being freed already", 409),
  DD_ERR_NO_CONSOLE: createError("DD_ERR_NO_CONSOLE", "no running console found for %s (start one with `devdeck`, or set DEVDECK_URL)", 1),
} as const satisfies Record<string, ErrorFactory>;

export type ErrorCode = keyof typeof errors;

/** True for errors devdeck raised on purpose (their message is for the user, no stack). */
export function isDevdeckError(err: unknown): err is DevdeckError {
  return err instanceof DevdeckError;
}
