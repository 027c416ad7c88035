// Procfile (`name: command` lines, like foreman/honcho) → services with SPEC.md's defaults; the `.env`
// beside it applies to all of them.
import { dirname, join } from "node:path";
import { errors } from "../errors.ts";
import { DEFAULTS, SERVICE_NAME_PATTERN } from "./schema.ts";
import type { ServiceSpec } from "./types.ts";

const LINE_PATTERN = /^([^:\s]+)\s*:\s*(.*)$/;
const NAME_PATTERN = new RegExp(SERVICE_NAME_PATTERN);

/** Services of a Procfile's text; throws DD_ERR_CONFIG_INVALID naming each bad line of `file`. */
export function parseProcfile(text: string, file: string): ServiceSpec[] {
  const dir = dirname(file);
  const services: ServiceSpec[] = [];
  // Keyed by lower case: the proxy matches host names (NAME.localhost) case-insensitively.
  const lineOfName = new Map<string, number>();
  const firstName = new Map<string, string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = LINE_PATTERN.exec(line);
    const name = match?.[1] ?? "";
    const cmd = (match?.[2] ?? "").trim();
    if (!match || cmd === "") {
      problems.push(`${file}:${lineNo}: expected a line "name: command"`);
    } else if (!NAME_PATTERN.test(name)) {
      problems.push(`${file}:${lineNo}: ${name}: is not a valid service name (letters, digits, _ and -, starting with a letter or digit)`);
    } else if (lineOfName.has(name.toLowerCase())) {
      problems.push(`${file}:${lineNo}: ${name}: ${duplicateText(name, firstName.get(name.toLowerCase()) ?? name, lineOfName.get(name.toLowerCase()) ?? 0)}`);
    } else {
      lineOfName.set(name.toLowerCase(), lineNo);
      firstName.set(name.toLowerCase(), name);
      services.push(procfileService(name, cmd, dir));
    }
  });
  if (problems.length > 0) throw errors.DD_ERR_CONFIG_INVALID(problems.join("\n"));
  return services;
}

function duplicateText(name: string, first: string, firstLine: number): string {
  if (name === first) return `is defined twice (first on line ${firstLine})`;
  return `differs from '${first}' (line ${firstLine}) only in case; service names are matched case-insensitively`;
}

function procfileService(name: string, cmd: string, dir: string): ServiceSpec {
  return {
    name,
    cmd,
    cwd: dir,
    env: {},
    // foreman/honcho load `.env` beside the Procfile when it exists; it is re-read at every start.
    envFile: join(dir, ".env"),
    envFileOptional: true,
    port: null,
    autostart: DEFAULTS.autostart,
    restart: DEFAULTS.restart,
    stopSignal: DEFAULTS.stopSignal,
    stopTimeoutMs: DEFAULTS.stopTimeoutSec * 1000,
    ready: null,
    url: null,
    watch: [],
    dependsOn: [],
    pty: DEFAULTS.pty,
    color: DEFAULTS.color,
  };
}
