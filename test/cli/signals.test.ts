// SPEC.md, Command line: "SIGINT, SIGTERM and SIGHUP stop every service (whole process trees) and exit; no
// process started by devdeck outlives it" — nor does one outlive an uncaught error or a SIGKILL of devdeck.
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { pathToFileURL } from "node:url";
import type { ServiceStatus } from "../../shared/service.ts";
import { FIXTURES, startConsole, type RunningConsole, type StartOptions } from "../helpers/console.ts";
import { isAlive, waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { fixtureCmd, pathsOf } from "./harness.ts";

// `tree`: a child and a grandchild that ignores SIGTERM and SIGHUP (argv, no shell). `shell`: a shell that
// stays (a list of commands) with a background child that ignores SIGTERM. stop_timeout 1 s keeps the
// SIGKILL escalation quick.
const NODE = JSON.stringify(process.execPath);
const TREE_CONFIG = `services:
  tree:
    cmd: ${fixtureCmd("pty-tree.mjs")}
    ready: { log: "^ready$" }
    stop_timeout: 1
  shell:
    cmd: '${NODE} ${join(FIXTURES, "ignore-sigterm.mjs")} & ${NODE} ${join(FIXTURES, "sleeper.mjs")}; wait'
    ready: { log: "^pid \\\\d+$" }
    stop_timeout: 1
`;

const CRASH_MODULE = pathToFileURL(join(FIXTURES, "crash-on-signal.mjs")).href;

interface Tree {
  /** Every live process below devdeck: services, their children and grandchildren, watchdogs. */
  pids: number[];
  grandchild: number;
}

// ppid of each live (non-zombie) process, from /proc.
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z") parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  return parents;
}

/** Live descendants of `root` (not root itself). */
function descendantsOf(root: number): number[] {
  const parents = parentsByPid();
  const found = new Set<number>([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(root);
  return [...found];
}

async function statuses(deck: RunningConsole): Promise<ServiceStatus[]> {
  const res = await fetch(new URL("api/services", deck.url));
  return (await res.json()) as ServiceStatus[];
}

/** Starts devdeck on TREE_CONFIG, waits for both services to run, and collects everything below it. */
async function startTree(t: TestContext, opts: StartOptions = {}): Promise<{ deck: RunningConsole; tree: Tree }> {
  const deck = await startConsole(TREE_CONFIG, opts);
  let pids: number[] = [];
  t.after(async () => {
    // Whatever the test proved, nothing is left behind for the next one.
    if (deck.child.exitCode === null && deck.child.signalCode === null) deck.child.kill("SIGKILL");
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    await waitAllDead(pids);
  });
  await waitUntil(async () => (await statuses(deck)).every((s) => s.state === "running"), { message: "both services running" });
  const res = await fetch(new URL("api/services/tree/logs", deck.url));
  const { lines } = (await res.json()) as { lines: Array<{ text: string }> };
  const grandchild = Number(lines.map((l) => /^\d+ (\d+)$/.exec(l.text)?.[1]).find((pid) => pid !== undefined));
  // tree's child and grandchild, the shell and its two children, a watchdog per service: 7 at least.
  pids = await waitUntil(() => {
    const below = descendantsOf(deck.child.pid ?? -1);
    return below.includes(grandchild) && below.length >= 7 ? below : null;
  }, { message: "the whole tree below devdeck" });
  assert.ok(grandchild > 0 && isAlive(grandchild), "the grandchild that ignores SIGTERM runs");
  return { deck, tree: { pids, grandchild } };
}

async function exitOf(deck: RunningConsole): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (deck.child.exitCode !== null || deck.child.signalCode !== null) return { code: deck.child.exitCode, signal: deck.child.signalCode };
  const [code, signal] = (await once(deck.child, "exit")) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  test(`${signal} to devdeck stops every service's whole tree (a grandchild ignoring SIGTERM included), exits 0 and removes its record`, async (t) => {
    const { deck, tree } = await startTree(t);
    const { record } = pathsOf(deck.dir, deck.env);
    assert.equal(existsSync(record), true);
    const exited = exitOf(deck);
    deck.child.kill(signal);
    assert.deepEqual(await exited, { code: 0, signal: null });
    await waitAllDead(tree.pids);
    assert.equal(existsSync(record), false);
  });
}

for (const kind of ["exception", "rejection"] as const) {
  test(`an unhandled ${kind} in devdeck stops every service's whole tree and exits 1 with a fatal log entry`, async (t) => {
    const env = { NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --import ${CRASH_MODULE}`.trim(), DEVDECK_TEST_CRASH: kind };
    const { deck, tree } = await startTree(t, { env });
    const exited = exitOf(deck);
    // The preloaded module throws (or rejects) from its SIGUSR2 listener; devdeck itself has none.
    deck.child.kill("SIGUSR2");
    assert.deepEqual(await exited, { code: 1, signal: null });
    await waitAllDead(tree.pids);
    assert.match(deck.stderr(), /uncaught error: stopping/);
    assert.match(deck.stderr(), new RegExp(`test: an (uncaught exception|unhandled rejection)`));
    assert.equal(existsSync(pathsOf(deck.dir, deck.env).record), false);
  });
}

test("SIGKILL of devdeck leaves no survivor: the watchdogs take every service's tree down", async (t) => {
  const { deck, tree } = await startTree(t);
  const exited = exitOf(deck);
  deck.child.kill("SIGKILL");
  assert.deepEqual(await exited, { code: null, signal: "SIGKILL" });
  await waitAllDead(tree.pids);
});
