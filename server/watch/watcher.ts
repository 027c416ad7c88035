// `watch` (SPEC.md): one chokidar watcher on a service's cwd, filtered by the service's globs, feeding
// the debouncer. chokidar 4 has no globs of its own; picomatch decides, and folders that cannot match
// (node_modules, .git, …) are never entered, so a big tree costs no watches.
import { statSync, type Stats } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { errors } from "../errors.ts";
import type { Logger } from "../log.ts";
import { createDebouncedTrigger, type TriggerHandler } from "./debounce.ts";
import { compileWatchPatterns, type WatchMatcher } from "./patterns.ts";

/** Quiet time that ends a burst of changes. */
export const WATCH_DEBOUNCE_MS = 300;
/** Longest a burst may delay its restart. */
export const WATCH_MAX_WAIT_MS = 10_000;

export type { TriggerHandler, TriggerInfo } from "./debounce.ts";

export interface ServiceWatcherOptions {
  /** Folder the globs are relative to (the service's cwd); must exist. */
  cwd: string;
  /** SPEC.md `watch`: globs, `!` negates; a file counts if any plain one matches and no negated one. */
  patterns: readonly string[];
  debounceMs?: number;
  maxWaitMs?: number;
  /** One call per burst with its first path (relative to cwd, `/`-separated); return a promise while busy. */
  onTrigger: TriggerHandler;
  logger: Logger;
}

export interface ServiceWatcher {
  /** Resolves once the initial scan is done: changes from then on are seen (also resolves on close). */
  readonly ready: Promise<void>;
  /** Stops watching; no trigger after it. Does not wait for an onTrigger in flight. Idempotent. */
  close(): Promise<void>;
}

type ChangeEvent = "add" | "change" | "unlink";
const CHANGE_EVENTS: ReadonlySet<string> = new Set<ChangeEvent>(["add", "change", "unlink"]);

/** Starts watching; throws DD_ERR_CONFIG_INVALID when cwd is not a folder or a pattern leaves it. */
export function createServiceWatcher(opts: ServiceWatcherOptions): ServiceWatcher {
  const root = resolve(opts.cwd);
  assertFolder(root);
  const matcher = compileWatchPatterns(opts.patterns);
  const logger = opts.logger;
  const trigger = createDebouncedTrigger({
    debounceMs: opts.debounceMs ?? WATCH_DEBOUNCE_MS,
    maxWaitMs: opts.maxWaitMs ?? WATCH_MAX_WAIT_MS,
    onTrigger: opts.onTrigger,
    onError: (err) => logger.warn({ err }, "watch: restart after a change failed"),
  });
  const toRel = (path: string) => relative(root, path).split(sep).join("/");

  // No usePolling: native events; chokidar still honours CHOKIDAR_USEPOLLING=1 (network or VM mounts).
  const fsw: FSWatcher = watch(root, {
    ignoreInitial: true,
    ignored: (path: string, stats?: Stats) => isIgnored(matcher, toRel(path), stats),
  });
  fsw.on("error", (err) => reportError(logger, root, err));

  let markReady = () => {};
  const ready = new Promise<void>((done) => (markReady = done));
  fsw.once("ready", () => {
    logger.debug({ cwd: root, patterns: opts.patterns }, "watch: ready");
    markReady();
  });

  fsw.on("all", (event, path) => {
    if (!CHANGE_EVENTS.has(event)) return;
    const rel = toRel(path);
    if (!matcher.matches(rel)) return;
    logger.debug({ event, path: rel, isBusy: trigger.isBusy }, "watch: change");
    trigger.push(rel);
  });

  let closing: Promise<void> | null = null;
  return {
    ready,
    close() {
      closing ??= (async () => {
        trigger.close();
        markReady();
        await fsw.close();
      })();
      return closing;
    },
  };
}

function assertFolder(root: string): void {
  let stats: Stats;
  try {
    stats = statSync(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw errors.DD_ERR_CONFIG_INVALID(`cannot watch ${root}: ${code === "ENOENT" ? "no such folder" : code}`);
  }
  if (!stats.isDirectory()) throw errors.DD_ERR_CONFIG_INVALID(`cannot watch ${root}: not a folder`);
}

/** chokidar's `ignored`: sometimes asked without stats, then only what is ignored as file and as folder. */
function isIgnored(matcher: WatchMatcher, rel: string, stats: Stats | undefined): boolean {
  if (rel === "" || rel.startsWith("../")) return false;
  if (stats?.isDirectory()) return matcher.isPrunedDir(rel);
  if (stats) return !matcher.matches(rel);
  return matcher.isPrunedDir(rel) && !matcher.matches(rel);
}

function reportError(logger: Logger, root: string, err: unknown): void {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOSPC") {
    // inotify's watch limit: changes go unseen until it is raised, so say how.
    logger.error({ cwd: root }, "watch: out of inotify watches; raise fs.inotify.max_user_watches or set CHOKIDAR_USEPOLLING=1");
    return;
  }
  logger.warn({ err, cwd: root }, "watch: error");
}
