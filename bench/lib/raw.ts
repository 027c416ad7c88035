// The references: plain Node reading a child's pipe, with nothing of devdeck in between.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { CHILDREN } from "./deck.ts";
import { epochMs } from "./proc.ts";

const LF = 10;

/** Spawns `node bench/children/SCRIPT args…` with its stdout piped to this process. */
function spawnChild(script: string, args: ReadonlyArray<string | number>) {
  const child = spawn(process.execPath, [join(CHILDREN, script), ...args.map(String)], { stdio: ["ignore", "pipe", "inherit"] });
  child.on("error", (err) => process.stderr.write(`${script}: ${err.message}\n`));
  return child;
}

/** Time for plain Node to read a child's whole stdout, counting newlines; and this reader's CPU time. */
export async function countNewlines(script: string, args: ReadonlyArray<string | number>): Promise<{ ms: number; lines: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const child = spawnChild(script, args);
  let lines = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) lines++;
  });
  await once(child, "close");
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, lines, cpuMs: (used.user + used.system) / 1000 };
}

/** Delay from each "tick N STAMP" write of the ticker child to its arrival in this process, in ms. */
export async function tickDelays(count: number, intervalMs: number): Promise<number[]> {
  const child = spawnChild("ticker.mjs", [count, intervalMs]);
  const delays: number[] = [];
  let rest = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const received = epochMs();
    const text = rest + chunk.toString();
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("tick ") && line !== "tick end") delays.push(received - Number(line.slice(line.lastIndexOf(" ") + 1)));
  });
  await once(child, "close");
  return delays;
}
