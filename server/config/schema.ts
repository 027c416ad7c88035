// The one schema of the config file (SPEC.md "Config file"); the raw file's TS types derive from it.
// Each node may carry `errorMessage`: the plain-English problem load.ts reports when it fails.
import { constants } from "node:os";
import { Type, type Static, type TSchema } from "@sinclair/typebox";

/** Service names become host names (NAME.localhost) and `since` keys (web:120): keep them plain. */
export const SERVICE_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]*$";

/** Signal names this platform knows, in the SIG form (SIGTERM, not TERM). */
export const SIGNAL_NAMES: readonly string[] = Object.keys(constants.signals).filter((name) => name.startsWith("SIG"));

const closed = { additionalProperties: false } as const;

/** The message for a node, read back by load.ts. */
export function errorMessageOf(schema: TSchema): string | undefined {
  const message: unknown = schema["errorMessage"];
  return typeof message === "string" ? message : undefined;
}

const Port = Type.Integer({ minimum: 1, maximum: 65535, errorMessage: "must be a port number from 1 to 65535" });
const StringList = Type.Array(Type.String({ errorMessage: "must be a string" }), { errorMessage: "must be a list of strings" });

const ReadySchema = Type.Union(
  [
    Type.Object({ log: Type.String({ errorMessage: "must be a regular expression (a string)" }) }, closed),
    Type.Object({ port: Port }, closed),
    Type.Object({ http: Type.String({ errorMessage: "must be a URL" }) }, closed),
  ],
  { errorMessage: "must have exactly one of log (a regex), port (a number) or http (a URL)" },
);

/** One entry of `services:`. */
export const ServiceFileSchema = Type.Object(
  {
    cmd: Type.Union([Type.String({ pattern: "\\S" }), Type.Array(Type.String(), { minItems: 1 })], {
      errorMessage: "must be a command (a non-empty string) or a non-empty list of arguments",
    }),
    cwd: Type.Optional(Type.String({ errorMessage: "must be a folder path" })),
    env: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()], { errorMessage: "must be a string, number or boolean" }), {
        errorMessage: "must be a mapping of names to values",
      }),
    ),
    env_file: Type.Optional(Type.String({ errorMessage: "must be a file path" })),
    port: Type.Optional(Port),
    autostart: Type.Optional(Type.Boolean({ errorMessage: "must be true or false" })),
    restart: Type.Optional(
      Type.Union([Type.Literal("no"), Type.Literal("on-failure"), Type.Literal("always")], {
        errorMessage: "must be one of no, on-failure, always",
      }),
    ),
    stop_signal: Type.Optional(
      Type.String({ pattern: `^(${SIGNAL_NAMES.join("|")})$`, errorMessage: "must be a signal name such as SIGTERM, SIGINT or SIGQUIT" }),
    ),
    stop_timeout: Type.Optional(Type.Number({ minimum: 0, errorMessage: "must be a number of seconds (0 or more)" })),
    ready: Type.Optional(ReadySchema),
    url: Type.Optional(Type.String({ errorMessage: "must be a URL" })),
    watch: Type.Optional(StringList),
    depends_on: Type.Optional(StringList),
    pty: Type.Optional(Type.Boolean({ errorMessage: "must be true or false" })),
    // devdeck extension (README): false leaves FORCE_COLOR and friends unset.
    color: Type.Optional(Type.Boolean({ errorMessage: "must be true or false" })),
  },
  { ...closed, errorMessage: "must be a mapping of service settings (at least cmd)" },
);

/** The `console:` section. */
export const ConsoleFileSchema = Type.Object(
  {
    buffer: Type.Optional(Type.Integer({ minimum: 100, errorMessage: "must be a whole number of lines, 100 or more" })),
    max_line: Type.Optional(Type.Integer({ minimum: 256, errorMessage: "must be a whole number of bytes, 256 or more" })),
    allowed_hosts: Type.Optional(StringList),
    auth: Type.Optional(Type.Union([Type.Literal("auto"), Type.Literal("token")], { errorMessage: "must be one of auto, token" })),
    proxy: Type.Optional(Type.Object({ port: Port }, { ...closed, errorMessage: "must be a mapping with a port" })),
  },
  { ...closed, errorMessage: "must be a mapping" },
);

/** The whole file. */
export const ConfigFileSchema = Type.Object(
  {
    services: Type.Optional(
      Type.Record(Type.String({ pattern: SERVICE_NAME_PATTERN }), ServiceFileSchema, {
        ...closed,
        errorMessage: "must be a mapping of service names to services",
      }),
    ),
    console: Type.Optional(ConsoleFileSchema),
  },
  { ...closed, errorMessage: "must be a mapping with services (and optionally console)" },
);

export type ConfigFile = Static<typeof ConfigFileSchema>;
export type ServiceFile = Static<typeof ServiceFileSchema>;
export type ConsoleFile = Static<typeof ConsoleFileSchema>;
export type ReadyFile = Static<typeof ReadySchema>;

/** Defaults of SPEC.md for every optional field. */
export const DEFAULTS = {
  autostart: true,
  restart: "on-failure",
  stopSignal: "SIGTERM",
  stopTimeoutSec: 5,
  buffer: 10_000,
  maxLineBytes: 16_384,
  auth: "auto",
  pty: false,
  color: true,
} as const;
