// devdeck's own log: one pino root, child loggers per module or service.
import { pino, type Logger, type DestinationStream } from "pino";
import { errors } from "./errors.ts";

export type { Logger };

/** The levels pino knows without custom levels; anything else makes pino throw a stack trace at startup. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Creates the root logger: JSON lines to stderr (or `destination`); DEVDECK_LOG_LEVEL wins over `defaultLevel`. */
export function createLogger(defaultLevel = "info", destination?: DestinationStream): Logger {
  const level = logLevelFrom(process.env["DEVDECK_LOG_LEVEL"], defaultLevel);
  return pino(
    {
      level,
      base: { pid: process.pid },
      // The token must never reach devdeck's own log (SPEC.md, Security).
      redact: { paths: ["token", "*.token", "req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** The level DEVDECK_LOG_LEVEL names (unset or empty: `defaultLevel`); throws DD_ERR_BAD_ARGS for an unknown one. */
export function logLevelFrom(value: string | undefined, defaultLevel: string): string {
  if (value === undefined || value === "") return defaultLevel;
  const level = LOG_LEVELS.find((known) => known === value);
  // A user's typo is one line on stderr (main.ts prints DevdeckErrors without a stack), not pino's trace.
  if (level === undefined) throw errors.DD_ERR_BAD_ARGS(`DEVDECK_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (not '${value}')`);
  return level;
}

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
