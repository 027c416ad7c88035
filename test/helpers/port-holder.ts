// A foreign process holding a TCP port, as a dev server left running in another terminal would: its own
// process group (not devdeck's, not the test runner's), optionally another user's.
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { FIXTURES } from "./console.ts";
import { isAlive, waitAllDead } from "./procs.ts";

export interface PortHolderProcess {
  pid: number;
  port: number;
  /** Everything it printed on stdout so far. */
  stdout: () => string;
}

export interface HoldOptions {
  /** listen-port.mjs (default) or listen-port-stubborn.mjs (ignores SIGTERM). */
  fixture?: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Run as this user (needs root). */
  uid?: number;
  gid?: number;
  /** Extra arguments, ignored by the fixture: they only show in its command line. */
  extraArgs?: string[];
}

/** Starts a fixture listening on a free port (of 127.0.0.1 unless `host`) and resolves once it prints the port; killed after the test. */
export async function holdPort(t: TestContext, opts: HoldOptions = {}): Promise<PortHolderProcess> {
  const child = spawn(process.execPath, [join(FIXTURES, opts.fixture ?? "listen-port.mjs"), opts.host ?? "127.0.0.1", "0", ...(opts.extraArgs ?? [])], {
    // Its own group: devdeck refuses to stop members of its own process group, which the test runner shares.
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    ...(opts.uid === undefined ? {} : { uid: opts.uid }),
    ...(opts.gid === undefined ? {} : { gid: opts.gid }),
  });
  child.on("error", () => {});
  const pid = child.pid ?? -1;
  t.after(async () => {
    if (isAlive(pid)) child.kill("SIGKILL");
    await waitAllDead([pid]);
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (d: string) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`${opts.fixture ?? "listen-port.mjs"} exited with ${code}`)));
  });
  return { pid, port, stdout: () => out };
}
