// createServiceWatcher against real files in a temp folder. "Nothing happened" is proven by then
// editing a matching marker file: the next trigger must name the marker and count one path.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pino } from "pino";
import { silentLogger, type Logger } from "../../server/log.ts";
import { createServiceWatcher, type TriggerInfo } from "../../server/watch/watcher.ts";
import { waitUntil } from "../helpers/wait.ts";

interface Call {
  path: string;
  info: TriggerInfo;
}

const PY = ["src/**/*.py", "!**/__pycache__/**"];
// `**` reaches node_modules by glob alone: only the default ignore keeps it out.
const ANY_PY = ["**/*.py", "!**/__pycache__/**"];

/** A temp project folder with these files (relative path → content), removed after the test. */
function project(t: TestContext, files: Record<string, string>): { dir: string; write: (rel: string, text?: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), "devdeck-watch-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text = "x\n") => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { dir, write };
}

interface WatcherExtras {
  logger?: Logger;
  /** What onTrigger returns for a call (a pending promise keeps the watcher busy). */
  respond?: (call: Call) => void | Promise<unknown>;
}

/** A ready watcher on `dir` recording its triggers; closed after the test. */
async function watcherOn(t: TestContext, dir: string, patterns: string[], extras: WatcherExtras = {}) {
  const calls: Call[] = [];
  const watcher = createServiceWatcher({
    cwd: dir,
    patterns,
    onTrigger: (path, info) => {
      const call = { path, info };
      calls.push(call);
      return extras.respond?.(call);
    },
    logger: extras.logger ?? silentLogger(),
  });
  t.after(() => watcher.close());
  await watcher.ready;
  const nth = (n: number) => waitUntil(() => calls[n - 1], { message: `trigger #${n}` });
  return { watcher, calls, nth };
}

/** Edits `rel` and asserts the next trigger (#n) names it alone: no other change slipped in before it. */
async function assertMarkerIsNext(write: (rel: string) => void, nth: (n: number) => Promise<Call>, n: number, rel: string) {
  write(rel);
  assert.deepEqual(await nth(n), { path: rel, info: { paths: 1 } });
}

test("watch: an edit of a matching file triggers exactly one call naming the file", async (t) => {
  const { dir, write } = project(t, { "src/app.py": "a\n", "src/marker.py": "m\n" });
  const { calls, nth } = await watcherOn(t, dir, PY);
  appendFileSync(join(dir, "src/app.py"), "b\n");
  assert.deepEqual(await nth(1), { path: "src/app.py", info: { paths: 1 } });
  await assertMarkerIsNext(write, nth, 2, "src/marker.py");
  assert.equal(calls.length, 2);
});

test("watch: a burst of 200 new files is one trigger covering all of them", async (t) => {
  const { dir, write } = project(t, { "src/marker.py": "m\n" });
  const { nth } = await watcherOn(t, dir, PY);
  for (let i = 0; i < 200; i++) write(`src/burst/f${i}.py`);
  const first = await nth(1);
  assert.match(first.path, /^src\/burst\/f\d+\.py$/);
  assert.equal(first.info.paths, 200);
  await assertMarkerIsNext(write, nth, 2, "src/marker.py");
});

test("watch: add, change and unlink of a matching file each trigger", async (t) => {
  const { dir, write } = project(t, { "src/keep.py": "k\n" });
  const { nth } = await watcherOn(t, dir, PY);
  write("src/new.py");
  assert.equal((await nth(1)).path, "src/new.py");
  appendFileSync(join(dir, "src/new.py"), "more\n");
  assert.equal((await nth(2)).path, "src/new.py");
  unlinkSync(join(dir, "src/new.py"));
  assert.equal((await nth(3)).path, "src/new.py");
});

test("watch: non-matching, negated, node_modules and .git files trigger nothing", async (t) => {
  const { dir, write } = project(t, {
    "src/marker.py": "m\n",
    "src/__pycache__/old.py": "c\n",
    "node_modules/pkg/index.py": "n\n",
    ".git/HEAD": "ref\n",
  });
  const { calls, nth } = await watcherOn(t, dir, ANY_PY);
  write("notes.txt");
  write("src/app.pyc");
  write("src/__pycache__/old.py", "changed\n");
  write("src/pkg/__pycache__/new.py");
  write("node_modules/pkg/index.py", "changed\n");
  write("node_modules/other/deep/mod.py");
  write("lib/node_modules/x/y.py");
  write(".git/hooks/x.py");
  await assertMarkerIsNext(write, nth, 1, "src/marker.py");
  assert.equal(calls.length, 1);
});

test("watch: a pattern naming node_modules watches inside it", async (t) => {
  const { dir, write } = project(t, { "node_modules/lib/a.js": "a\n", "node_modules/other/b.js": "b\n" });
  const { nth } = await watcherOn(t, dir, ["node_modules/lib/*.js"]);
  write("node_modules/other/b.js", "changed\n");
  await assertMarkerIsNext(write, nth, 1, "node_modules/lib/a.js");
});

test("watch: a change during an in-flight trigger gives exactly one follow-up once it settles", async (t) => {
  const { dir, write } = project(t, { "src/a.py": "a\n", "src/b.py": "b\n", "src/c.py": "c\n", "src/marker.py": "m\n" });
  const seen: string[] = [];
  let settle = () => {};
  const inFlight = new Promise<void>((done) => (settle = done));
  const { calls, nth } = await watcherOn(t, dir, PY, {
    logger: changeLogger(seen),
    respond: (call) => (call.path === "src/a.py" ? inFlight : undefined),
  });
  appendFileSync(join(dir, "src/a.py"), "edit\n");
  assert.equal((await nth(1)).path, "src/a.py");
  appendFileSync(join(dir, "src/b.py"), "edit\n");
  appendFileSync(join(dir, "src/c.py"), "edit\n");
  // The watcher has seen both while busy; being busy, it cannot have triggered.
  await waitUntil(() => seen.includes("src/b.py") && seen.includes("src/c.py"), { message: "b.py and c.py seen" });
  assert.equal(calls.length, 1);
  settle();
  const followUp = await nth(2);
  assert.ok(["src/b.py", "src/c.py"].includes(followUp.path), followUp.path);
  assert.equal(followUp.info.paths, 2);
  await assertMarkerIsNext(write, nth, 3, "src/marker.py");
});

test("watch: no inotify watch is placed inside node_modules or a pruned folder", { skip: process.platform !== "linux" }, async (t) => {
  const files: Record<string, string> = { "src/app.py": "a\n" };
  for (let i = 0; i < 20; i++) files[`node_modules/p${i}/lib/index.py`] = "n\n";
  files["docs/guide/intro.py"] = "d\n";
  const { dir } = project(t, files);
  await watcherOn(t, dir, [...ANY_PY, "!docs/**"]);
  const watched = watchedInodes();
  assert.ok(watched.has(statSync(join(dir, "src")).ino), "src is watched (the check can see watches)");
  for (const rel of ["node_modules", "node_modules/p0", "node_modules/p0/lib", "docs", "docs/guide"]) {
    assert.ok(!watched.has(statSync(join(dir, rel)).ino), `${rel} is not watched`);
  }
});

test("watch: a cwd that does not exist or is a file throws DD_ERR_CONFIG_INVALID naming it", (t) => {
  const { dir } = project(t, { "file.txt": "f\n" });
  const base = { patterns: PY, onTrigger: () => {}, logger: silentLogger() };
  const missing = join(dir, "nope");
  assert.throws(() => createServiceWatcher({ ...base, cwd: missing }), (err: Error & { code?: string }) => {
    return err.code === "DD_ERR_CONFIG_INVALID" && err.message.includes(missing) && /no such folder/.test(err.message);
  });
  assert.throws(() => createServiceWatcher({ ...base, cwd: join(dir, "file.txt") }), { code: "DD_ERR_CONFIG_INVALID", message: /not a folder/ });
});

test("watch: close is idempotent and resolves ready even before the first scan ends", async (t) => {
  const { dir } = project(t, { "src/app.py": "a\n" });
  const watcher = createServiceWatcher({ cwd: dir, patterns: PY, onTrigger: () => {}, logger: silentLogger() });
  await Promise.all([watcher.close(), watcher.close()]);
  await watcher.ready;
});

/** A debug-level logger that records the path of each "watch: change" entry. */
function changeLogger(seen: string[]): Logger {
  return pino({ level: "debug" }, {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; path?: string };
      if (entry.msg === "watch: change" && entry.path) seen.push(entry.path);
    },
  });
}

/** Inodes this process has inotify watches on (Linux: /proc/self/fdinfo of each inotify fd). */
function watchedInodes(): Set<number> {
  const inodes = new Set<number>();
  for (const fd of readdirSync("/proc/self/fd")) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== "anon_inode:inotify") continue;
    for (const m of readFileSync(`/proc/self/fdinfo/${fd}`, "utf8").matchAll(/^inotify wd:\S+ ino:([0-9a-f]+)/gm)) {
      inodes.add(Number.parseInt(m[1] as string, 16));
    }
  }
  return inodes;
}
