import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { userInfo } from "node:os";
import { FIXTURES } from "../helpers/console.ts";
import { holdPort } from "../helpers/port-holder.ts";
import { releasedPort } from "../helpers/ports.ts";
import { waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import {
  canStop,
  describePortOwner,
  findPortOwner,
  findWithLsof,
  isPortFree,
  listeningInodes,
  type PortOwner,
} from "../../server/supervisor/port-owner.ts";

const LISTEN = join(FIXTURES, "listen-port.mjs");

test("a released port is free and has no owner", async () => {
  const port = await releasedPort();
  assert.equal(await isPortFree(port), true);
  assert.equal(await findPortOwner(port), null);
});

for (const host of ["127.0.0.1", "0.0.0.0", "::", "::1"]) {
  test(`a port held on ${host} is not free`, async (t) => {
    const { port } = await holdPort(t, { host });
    assert.equal(await isPortFree(port), false);
  });
}

test("the owner of a held port is found with its pid, command line, user and start time", async (t) => {
  const before = Date.now();
  const { pid, port } = await holdPort(t, { host: "127.0.0.1" });
  const owner = await findPortOwner(port);
  assert.ok(owner, "an owner");
  assert.equal(owner.pid, pid);
  assert.equal(owner.command, `${process.execPath} ${LISTEN} 127.0.0.1 0`);
  assert.equal(owner.uid, process.getuid?.());
  assert.equal(owner.user, userInfo().username);
  assertStartedNear(owner.startedAt, before);
});

test("the owner of a port held on the IPv6 wildcard is found through /proc/net/tcp6", async (t) => {
  const { pid, port } = await holdPort(t, { host: "::" });
  assert.equal((await findPortOwner(port))?.pid, pid);
});

test("lsof finds the same owner as /proc", { skip: !hasLsof() && "lsof is not installed" }, async (t) => {
  const before = Date.now();
  const { pid, port } = await holdPort(t, { host: "127.0.0.1" });
  const owner = await findWithLsof(port);
  assert.equal(owner?.pid, pid);
  assert.match(owner?.command ?? "", /listen-port\.mjs 127\.0\.0\.1 0$/);
  assert.equal(owner?.uid, process.getuid?.());
  assertStartedNear(owner?.startedAt ?? 0, before);
});

test("a socket shared with a forked worker is reported as the parent's, the process to stop", async (t) => {
  const child = spawn(process.execPath, [join(FIXTURES, "listen-shared.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  child.on("error", () => {});
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  const m = await waitUntil(() => /port (\d+) worker (\d+)/.exec(out), { message: "listen-shared to print its port" });
  const worker = Number(m[2]);
  t.after(async () => {
    child.kill("SIGKILL");
    process.kill(worker, "SIGKILL");
    await waitAllDead([child.pid ?? -1, worker]);
  });
  assert.equal((await findPortOwner(Number(m[1])))?.pid, child.pid);
});

test("a process of devdeck's own user can be stopped, another user's cannot", async (t) => {
  const { port } = await holdPort(t, { host: "127.0.0.1" });
  const owner = await findPortOwner(port);
  assert.ok(owner);
  assert.equal(canStop(owner), true);
  assert.equal(canStop({ ...owner, uid: owner.uid + 1 }), false);
});

test("only LISTEN rows of the asked port count in a /proc/net/tcp table", () => {
  const table = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0",
    "   1: 0100007F:1F40 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0",
    "   2: 00000000:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 333 1 0",
  ].join("\n");
  assert.deepEqual(listeningInodes(table, 8000), ["111"]);
  assert.deepEqual(listeningInodes(table, 8001), ["333"]);
  assert.deepEqual(listeningInodes(table, 8002), []);
});

test("the port line names pid, command, user and time, or says the process cannot be inspected", () => {
  const today = new Date(2024, 4, 2, 14, 3, 12).getTime();
  const owner: PortOwner = { pid: 4242, command: "node server.js", user: "alice", uid: 1000, startedAt: today };
  assert.equal(
    describePortOwner(8000, owner, today + 60_000),
    "port 8000 is already in use by pid 4242 (node server.js), user alice, since 14:03:12 — stop it, or change this service's port",
  );
  assert.match(describePortOwner(8000, owner, today + 2 * 86_400_000), /since 2024-05-02 14:03:12 —/);
  assert.equal(
    describePortOwner(8000, null),
    "port 8000 is in use by a process devdeck cannot inspect — stop it, or change this service's port",
  );
  const long = describePortOwner(8000, { ...owner, command: "x".repeat(500) }, today);
  assert.ok(long.length < 400 && long.includes("…"), "a long command line is cut");
});

/**
 * A start time counted from boot (btime, ps) is whole seconds and drifts from the wall clock by a
 * second or two on VMs: this tells the process's start from boot time or the epoch, no finer.
 */
function assertStartedNear(startedAt: number, spawnedAt: number): void {
  const DRIFT_MS = 10_000;
  assert.ok(Math.abs(startedAt - spawnedAt) < DRIFT_MS, `startedAt ${new Date(startedAt).toISOString()}, spawned ${new Date(spawnedAt).toISOString()}`);
}

function hasLsof(): boolean {
  return (process.env["PATH"] ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, "lsof")));
}
