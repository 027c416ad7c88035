// A real console for the UI tests: fixture commands, the built UI, cleanup on test end.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { ServiceStatus } from "../../../shared/service.ts";
import { FIXTURES, ROOT, startConsole, type RunningConsole, type StartOptions } from "../../helpers/console.ts";
import { waitAllDead } from "../../helpers/procs.ts";
import { waitUntil } from "../../helpers/wait.ts";

const UI_SRC = join(ROOT, "client");
const UI_INDEX = join(ROOT, "dist/client/index.html");

/** A YAML flow sequence running a fixture with node: `["/usr/bin/node", ".../name", "arg"]`. */
export function fixtureCmd(name: string, ...args: Array<string | number>): string {
  return JSON.stringify([process.execPath, join(FIXTURES, name), ...args.map(String)]);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the UI with vite when dist/client is missing or older than client/ (tests must see this code). */
export function ensureUiBuilt(): void {
  let builtAt = 0;
  try {
    builtAt = statSync(UI_INDEX).mtimeMs;
  } catch {
    // not built yet
  }
  if (builtAt >= newestMtime(UI_SRC)) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "error"], { cwd: ROOT, stdio: "inherit" });
}

/** Starts a console on `yaml` and closes it when the test ends, proving its services did not survive it. */
export async function startDeck(t: TestContext, yaml: string | null, opts: StartOptions = {}): Promise<RunningConsole> {
  const deck = await startConsole(yaml, opts);
  t.after(async () => {
    const pids = await servicePids(deck).catch(() => []);
    await deck.close();
    await waitAllDead(pids);
  });
  return deck;
}

/** Every service's status, from the HTTP API. */
export async function statuses(deck: RunningConsole): Promise<ServiceStatus[]> {
  const res = await fetch(new URL("/api/services", deck.url));
  return (await res.json()) as ServiceStatus[];
}

async function servicePids(deck: RunningConsole): Promise<number[]> {
  return (await statuses(deck)).flatMap((s) => (s.pid === null ? [] : [s.pid]));
}

/** Waits until the service reports `state` (API), and returns its status. */
export async function waitForState(deck: RunningConsole, name: string, state: ServiceStatus["state"]): Promise<ServiceStatus> {
  return waitUntil(
    async () => {
      const status = (await statuses(deck)).find((s) => s.name === name);
      return status?.state === state ? status : null;
    },
    { message: `${name} to be ${state}` },
  );
}

/** Waits until the service's buffered log has a line with exactly `text` (API). */
export async function waitForLine(deck: RunningConsole, name: string, text: string): Promise<void> {
  await waitUntil(
    async () => {
      const res = await fetch(new URL(`/api/services/${name}/logs?tail=20`, deck.url));
      const body = (await res.json()) as { lines: Array<{ text: string }> };
      return body.lines.some((l) => l.text === text);
    },
    { message: `${name} to print "${text}"` },
  );
}

/** The pid of a running service (waits until it runs). Never 0 or null: process.kill(0) would hit our own group. */
export async function runningPid(deck: RunningConsole, name: string): Promise<number> {
  const { pid } = await waitForState(deck, name, "running");
  if (pid === null || pid <= 0) throw new Error(`${name} runs without a pid`);
  return pid;
}
