// argv → what to do. Pure: no I/O; bad input throws DD_ERR_BAD_ARGS with a message for the user.
import { parseArgs } from "node:util";
import { errors } from "../errors.ts";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 7007;

/** Options of `devdeck [options] [service ...]` (SPEC.md, Command line). */
export interface RunOptions {
  config: string | null;
  host: string;
  port: number;
  readOnly: boolean;
  open: boolean;
  detach: boolean;
  services: string[];
}

export type CtlAction = "status" | "start" | "stop" | "restart" | "logs" | "shutdown";
export const CTL_ACTIONS: readonly CtlAction[] = ["status", "start", "stop", "restart", "logs", "shutdown"];

/** Options of `devdeck ctl ACTION [service] [-f] [-c FILE] [--url URL]`. */
export interface CtlOptions {
  action: CtlAction;
  service: string | null;
  follow: boolean;
  config: string | null;
  url: string | null;
}

export type Command =
  | { kind: "run"; options: RunOptions }
  | { kind: "ctl"; options: CtlOptions }
  | { kind: "help"; topic: "run" | "ctl" }
  | { kind: "version" };

export const USAGE = `Usage: devdeck [options] [service ...]
       devdeck ctl status|start|stop|restart|logs [service] [-f] [-c FILE] [--url URL]
       devdeck ctl shutdown

Starts the console and the services (only the named ones when given).

Options:
  -c, --config FILE   config file (default: devdeck.yaml, devdeck.yml, devdeck.json, Procfile)
  -H, --host ADDR     address the console listens on (default: ${DEFAULT_HOST})
  -p, --port N        console port; 0 picks a free one (default: ${DEFAULT_PORT})
      --read-only     show everything, start/stop/restart nothing
      --open          open the console in the default browser
  -d, --detach        run in the background: print the ready line, then return
  -h, --help          show this help
      --version       print the version
`;

export const CTL_USAGE = `Usage: devdeck ctl status|start|stop|restart|logs [service] [-f] [-c FILE] [--url URL]
       devdeck ctl shutdown

Controls a running console. Found from -c FILE or the config in this folder or the nearest
parent; DEVDECK_URL and DEVDECK_TOKEN override (a token is never taken as an argument).

  status [service]    table of services
  start|stop|restart [service]   one service, or all of them
  logs [service] [-f] buffered lines; -f follows live ones
  shutdown            stop every service, then the console
`;

/** Parses the command line (without node and the script). */
export function parseCommand(argv: readonly string[]): Command {
  if (argv[0] === "ctl") return parseCtl(argv.slice(1));
  const { values, positionals } = parse(argv, {
    config: { type: "string", short: "c" },
    host: { type: "string", short: "H" },
    port: { type: "string", short: "p" },
    "read-only": { type: "boolean" },
    open: { type: "boolean" },
    detach: { type: "boolean", short: "d" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
  });
  if (values["help"] === true) return { kind: "help", topic: "run" };
  if (values["version"] === true) return { kind: "version" };
  const host = str(values["host"]) ?? DEFAULT_HOST;
  if (host.trim() === "") throw errors.DD_ERR_BAD_ARGS("--host needs an address");
  return {
    kind: "run",
    options: {
      config: str(values["config"]) ?? null,
      host: stripBrackets(host),
      port: parsePort(str(values["port"])),
      readOnly: values["read-only"] === true,
      open: values["open"] === true,
      detach: values["detach"] === true,
      services: positionals,
    },
  };
}

function parseCtl(argv: readonly string[]): Command {
  const { values, positionals } = parse(argv, {
    config: { type: "string", short: "c" },
    url: { type: "string" },
    follow: { type: "boolean", short: "f" },
    help: { type: "boolean", short: "h" },
  });
  if (values["help"] === true) return { kind: "help", topic: "ctl" };
  const [action, service, ...rest] = positionals;
  if (action === undefined) throw errors.DD_ERR_BAD_ARGS(`devdeck ctl needs an action: ${CTL_ACTIONS.join(", ")}`);
  if (!isCtlAction(action)) throw errors.DD_ERR_BAD_ARGS(`unknown ctl action '${action}' (expected ${CTL_ACTIONS.join(", ")})`);
  if (rest.length > 0) throw errors.DD_ERR_BAD_ARGS(`unexpected argument '${rest[0]}'`);
  if (action === "shutdown" && service !== undefined) throw errors.DD_ERR_BAD_ARGS("devdeck ctl shutdown takes no service");
  const follow = values["follow"] === true;
  if (follow && action !== "logs") throw errors.DD_ERR_BAD_ARGS("-f only goes with `devdeck ctl logs`");
  const url = str(values["url"]) ?? null;
  if (url !== null) checkCtlUrl(url);
  return { kind: "ctl", options: { action, service: service ?? null, follow, config: str(values["config"]) ?? null, url } };
}

type Spec = Record<string, { type: "string" | "boolean"; short?: string }>;

// parseArgs throws TypeErrors with codes; they become one clear DD_ERR_BAD_ARGS line.
function parse(argv: readonly string[], options: Spec): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (err) {
    throw errors.DD_ERR_BAD_ARGS(`${(err as Error).message.replace(/\. To specify a positional.*$/s, "")}`);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function isCtlAction(value: string): value is CtlAction {
  return (CTL_ACTIONS as readonly string[]).includes(value);
}

/** `--port` as an integer in 0..65535. */
export function parsePort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw errors.DD_ERR_BAD_ARGS(`--port must be a number from 0 to 65535, not '${raw}'`);
  return Number(raw);
}

// `-H [::1]` is how people write IPv6 in URLs; listen() wants the bare address.
function stripBrackets(host: string): string {
  return /^\[.*\]$/.test(host) ? host.slice(1, -1) : host;
}

// SPEC.md: a token is never a command-line argument, --url included (other users can read argv).
function checkCtlUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw errors.DD_ERR_BAD_ARGS("--url must be an http:// URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw errors.DD_ERR_BAD_ARGS("--url must be an http:// URL");
  if (url.searchParams.has("token") || url.password !== "" || url.username !== "") {
    throw errors.DD_ERR_BAD_ARGS("--url must not carry a token (other users can read command lines): set DEVDECK_TOKEN instead");
  }
}
