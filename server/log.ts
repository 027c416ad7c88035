// devdeck's own log: one pino root, child loggers per module or service.
import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/** Creates the root logger: JSON lines to stderr (or `destination`); DEVDECK_LOG_LEVEL wins over `defaultLevel`. */
export function createLogger(defaultLevel = "info", destination?: DestinationStream): Logger {
  const level = process.env["DEVDECK_LOG_LEVEL"] || defaultLevel;
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

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
