// Finds and parses devdeck.yaml|yml|json or a Procfile into a ResolvedConfig. Every problem names the
// file, the line and the field (SPEC.md: an invalid config stops devdeck before anything starts).
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { ValueErrorType, type ValueError } from "@sinclair/typebox/errors";
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { errors } from "../errors.ts";
import { checkDependencies, checkNameCase, checkWatch, type Locate, type Path, type Problem } from "./checks.ts";
import { parseProcfile } from "./procfile.ts";
import { ConfigFileSchema, DEFAULTS, SERVICE_NAME_PATTERN, errorMessageOf, type ConfigFile, type ConsoleFile, type ServiceFile } from "./schema.ts";
import type { ConsoleSpec, ReadySpec, ResolvedConfig, RestartPolicy, ServiceSpec } from "./types.ts";

/** Names looked for in a folder, in SPEC.md's order. */
export const CONFIG_NAMES = ["devdeck.yaml", "devdeck.yml", "devdeck.json", "Procfile"] as const;

/** The config file devdeck picks in `dir`; throws DD_ERR_CONFIG_NOT_FOUND when there is none. */
export function findConfig(dir: string): string {
  for (const name of CONFIG_NAMES) {
    const file = resolve(dir, name);
    if (isFile(file)) return file;
  }
  throw errors.DD_ERR_CONFIG_NOT_FOUND(resolve(dir));
}

/** The config of `dir` or of its nearest parent that has one (for `devdeck ctl`), or null. */
export function findConfigUpwards(dir: string): string | null {
  for (let current = resolve(dir); ; current = dirname(current)) {
    for (const name of CONFIG_NAMES) if (isFile(join(current, name))) return join(current, name);
    if (dirname(current) === current) return null;
  }
}

/** Reads, validates and resolves a config file; throws DD_ERR_CONFIG_INVALID listing every problem. */
export function loadConfig(file: string): ResolvedConfig {
  let real: string;
  let text: string;
  try {
    real = realpathSync(file);
    text = readFileSync(real, "utf8");
  } catch (err) {
    throw errors.DD_ERR_CONFIG_INVALID(`${resolve(file)}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const dir = dirname(real);
  if (basename(real).startsWith("Procfile")) {
    return { file: real, dir, services: parseProcfile(text, real), console: resolveConsole({}) };
  }
  return parseYamlConfig(text, real);
}

function parseYamlConfig(text: string, file: string): ResolvedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({ line: lineAt(e.pos[0]), path: [], text: `YAML syntax: ${e.message.split("\n")[0]}` }));
    throw invalid(file, problems);
  }
  const raw: unknown = doc.toJS() ?? {};
  const locate = (path: Path, part: "key" | "value") => locateLine(doc, path, part, lineAt);
  const problems = validate(raw, locate);
  // Services the schema accepted are still resolved, so one run reports every problem it can.
  const badServices = new Set(problems.filter((p) => p.path[0] === "services").map((p) => p.path[1]));
  if (badServices.has(undefined)) throw invalid(file, problems);
  const config = raw as ConfigFile;
  const dir = dirname(file);
  const entries = Object.entries(config.services ?? {});
  const services = entries.filter(([name]) => !badServices.has(name)).map(([name, svc]) => resolveService(name, svc, dir, problems, locate));
  checkNameCase(entries.map(([name]) => name), problems, locate);
  checkDependencies(services, new Set(entries.map(([name]) => name)), problems, locate);
  if (problems.length > 0) throw invalid(file, problems);
  return { file, dir, services, console: resolveConsole(config.console ?? {}) };
}

// Schema errors, one per field (the first TypeBox reports), with a sentence for each.
function validate(raw: unknown, locate: Locate): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(ConfigFileSchema, raw)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    const path = toPath(raw, error.path);
    const { part, target, text } = describe(error, path);
    problems.push({ line: locate(target, part), path, text });
  }
  return problems;
}

// A JSON pointer as path segments: list indices become numbers (printed as [i]), keys stay strings.
function toPath(raw: unknown, pointer: string): Array<string | number> {
  const path: Array<string | number> = [];
  let value = raw;
  for (const encoded of pointer.split("/").slice(1)) {
    const seg = encoded.replace(/~1/g, "/").replace(/~0/g, "~");
    const isIndex = Array.isArray(value);
    path.push(isIndex ? Number(seg) : seg);
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[seg] : undefined;
  }
  return path;
}

function describe(error: ValueError, path: Path): { part: "key" | "value"; target: Path; text: string } {
  const last = String(path[path.length - 1] ?? "");
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      if (path.length === 2 && path[0] === "services" && !new RegExp(SERVICE_NAME_PATTERN).test(last)) {
        return { part: "key", target: path, text: "is not a valid service name (letters, digits, _ and -, starting with a letter or digit)" };
      }
      return { part: "key", target: path, text: "unknown field" };
    case ValueErrorType.ObjectRequiredProperty:
      // The field is absent: point at the key of the mapping that lacks it.
      return { part: "key", target: path.slice(0, -1), text: "is required" };
    default:
      return { part: "value", target: path, text: errorMessageOf(error.schema) ?? error.message.toLowerCase() };
  }
}

// The line of the node at `path` (its key, or its value), or of the deepest ancestor found.
function locateLine(doc: Document, path: Path, part: "key" | "value", lineAt: (offset: number) => number): number {
  const lineOf = (node: unknown, fallback: number) => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lineAt(range[0]) : fallback;
  };
  let node: unknown = doc.contents;
  let keyLine = lineOf(node, 1);
  let valueLine = keyLine;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      keyLine = lineOf(pair.key, keyLine);
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
      if (node === undefined) break;
      keyLine = lineOf(node, keyLine);
    } else {
      break;
    }
    valueLine = lineOf(node, keyLine);
  }
  return part === "key" ? keyLine : valueLine;
}

function resolveService(name: string, svc: ServiceFile, dir: string, problems: Problem[], locate: Locate): ServiceSpec {
  const at = (field: Path, text: string) => problems.push({ line: locate(["services", name, ...field], "value"), path: ["services", name, ...field], text });
  const cwd = resolve(dir, svc.cwd ?? ".");
  if (!isDirectory(cwd)) at(["cwd"], `folder ${cwd} does not exist`);
  const envFile = svc.env_file === undefined ? null : resolve(dir, svc.env_file);
  if (envFile && !isFile(envFile)) at(["env_file"], `file ${envFile} does not exist`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(svc.env ?? {})) env[key] = String(value);
  const ready = resolveReady(svc, at);
  if (svc.url !== undefined && !isHttpUrl(svc.url)) at(["url"], "must be an http:// or https:// URL");
  checkWatch(svc.watch ?? [], at);
  return {
    name,
    cmd: svc.cmd,
    cwd,
    env,
    envFile,
    envFileOptional: false,
    port: svc.port ?? null,
    autostart: svc.autostart ?? DEFAULTS.autostart,
    restart: (svc.restart ?? DEFAULTS.restart) as RestartPolicy,
    stopSignal: (svc.stop_signal ?? DEFAULTS.stopSignal) as NodeJS.Signals,
    stopTimeoutMs: Math.round((svc.stop_timeout ?? DEFAULTS.stopTimeoutSec) * 1000),
    ready,
    url: svc.url ?? null,
    watch: svc.watch ?? [],
    dependsOn: [...new Set(svc.depends_on ?? [])],
    pty: svc.pty ?? DEFAULTS.pty,
    color: svc.color ?? DEFAULTS.color,
  };
}

// `ready` as written, or a port probe when only `port` is given (SPEC.md: port "enables the default port probe").
function resolveReady(svc: ServiceFile, at: (field: Path, text: string) => void): ReadySpec | null {
  const ready = svc.ready;
  if (!ready) return svc.port === undefined ? null : { log: null, port: svc.port, http: null };
  if ("log" in ready) {
    try {
      return { log: new RegExp(ready.log), port: null, http: null };
    } catch (err) {
      at(["ready", "log"], `is not a valid regular expression (${(err as Error).message})`);
      return null;
    }
  }
  if ("port" in ready) return { log: null, port: ready.port, http: null };
  if (!isHttpUrl(ready.http)) at(["ready", "http"], "must be an http:// or https:// URL");
  return { log: null, port: null, http: ready.http };
}

/** The `console:` section with SPEC.md's defaults. */
export function resolveConsole(con: ConsoleFile): ConsoleSpec {
  return {
    buffer: con.buffer ?? DEFAULTS.buffer,
    maxLineBytes: con.max_line ?? DEFAULTS.maxLineBytes,
    allowedHosts: con.allowed_hosts ?? [],
    auth: con.auth ?? DEFAULTS.auth,
    proxy: con.proxy ? { port: con.proxy.port } : null,
  };
}

function invalid(file: string, problems: Problem[]) {
  const lines = [...problems]
    .sort((a, b) => a.line - b.line)
    .map((p) => `${file}:${p.line}: ${p.path.length > 0 ? `${dotted(p.path)}: ` : ""}${p.text}`);
  return errors.DD_ERR_CONFIG_INVALID(lines.join("\n"));
}

function dotted(path: Path): string {
  return path.reduce<string>((out, seg) => (typeof seg === "number" ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), "");
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
