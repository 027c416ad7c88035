import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devdeckArgv, makeProject, startConsole, type RunningConsole } from "../helpers/console.ts";
import { waitUntil } from "../helpers/wait.ts";
import { runCli, statusOf, WEB_AND_IDLE } from "./harness.ts";

const ctl = (deck: RunningConsole, args: string[], cwd = deck.dir, env = deck.env) => runCli(["ctl", ...args], { cwd, env });

test("ctl status, start, stop, restart and logs drive the console found from the config in the folder or a parent", async (t) => {
  const deck = await startConsole(WEB_AND_IDLE);
  t.after(() => deck.close());
  await waitUntil(async () => (await statusOf(deck, "web")).state === "running", { message: "web running" });

  const table = await ctl(deck, ["status"]);
  assert.equal(table.code, 0, table.stderr);
  const rows = table.stdout.trim().split("\n").map((r) => r.split(/\s+/));
  assert.deepEqual(rows[0], ["NAME", "STATE", "PID", "UPTIME", "RESTARTS", "REASON"]);
  assert.deepEqual(rows[1]?.slice(0, 3), ["web", "running", String((await statusOf(deck, "web")).pid)]);
  assert.match(rows[1]?.[3] ?? "", /^\d+s$/);
  assert.deepEqual(rows[2]?.slice(0, 5), ["idle", "stopped", "-", "-", "0"]);

  const nested = join(deck.dir, "src", "deep");
  mkdirSync(nested, { recursive: true });
  assert.equal((await ctl(deck, ["start", "idle"], nested)).code, 0);
  await waitUntil(async () => (await statusOf(deck, "idle")).state === "running", { message: "idle running" });
  assert.equal((await ctl(deck, ["restart", "idle"])).code, 0);
  await waitUntil(async () => (await statusOf(deck, "idle")).restarts === 1 && (await statusOf(deck, "idle")).state === "running", { message: "idle restarted" });
  assert.equal((await ctl(deck, ["stop", "web"])).code, 0);
  await waitUntil(async () => (await statusOf(deck, "web")).state === "stopped", { message: "web stopped" });

  const logs = await ctl(deck, ["logs", "web"]);
  assert.equal(logs.code, 0);
  assert.deepEqual(logs.stdout.split("\n").filter((l) => !l.startsWith("[devdeck]")), ["boot 1", "boot 2", "ready", ""]);
  const all = await ctl(deck, ["logs"]);
  assert.match(all.stdout, /^web \| boot 1$/m);
  assert.match(all.stdout, /^idle \| ready$/m);

  const unknown = await ctl(deck, ["status", "nope"]);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "devdeck: unknown service 'nope'\n");
});

test("ctl logs -f prints the buffered lines, then follows live ones", async (t) => {
  const deck = await startConsole(WEB_AND_IDLE);
  t.after(() => deck.close());
  const { pid } = await waitUntil(async () => {
    const s = await statusOf(deck, "web");
    return s.state === "running" ? s : null;
  }, { message: "web running" });
  const follower = spawn(process.execPath, devdeckArgv(["ctl", "logs", "web", "-f"]), { cwd: deck.dir, env: deck.env, stdio: ["ignore", "pipe", "pipe"] });
  follower.on("error", () => {});
  t.after(() => follower.kill("SIGTERM"));
  let out = "";
  follower.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  await waitUntil(() => out.includes("ready\n"), { message: "the replay" });
  process.kill(pid ?? 0, "SIGUSR2");
  await waitUntil(() => out.includes("talk 1\n"), { message: "a live line" });
  assert.ok(out.indexOf("boot 1") < out.indexOf("talk 1"));
});

test("ctl uses the token of the console's record, or DEVDECK_URL and DEVDECK_TOKEN; a token on the command line is refused", async (t) => {
  const deck = await startConsole(`${WEB_AND_IDLE}console:\n  auth: token\n`);
  t.after(() => deck.close());
  const token = new URL(deck.readyUrl).searchParams.get("token") ?? "";
  assert.equal((await ctl(deck, ["status"])).code, 0);

  const elsewhere = mkdtempSync(join(tmpdir(), "devdeck-elsewhere-"));
  const env = { ...deck.env, DEVDECK_URL: deck.url };
  const wrong = await ctl(deck, ["status"], elsewhere, { ...env, DEVDECK_TOKEN: "wrong-token" });
  assert.equal(wrong.code, 1);
  assert.equal(wrong.stderr, "devdeck: a valid token is required\n");
  const right = await ctl(deck, ["status", "web"], elsewhere, { ...env, DEVDECK_TOKEN: token });
  assert.equal(right.code, 0, right.stderr);
  assert.match(right.stdout, /^web\s+/m);

  const onArgv = await ctl(deck, ["status", "--url", `${deck.url}?token=${token}`], elsewhere);
  assert.equal(onArgv.code, 2);
  assert.ok(!onArgv.stderr.includes(token));
});

test("ctl without a running console says so and exits 1", async () => {
  const dir = makeProject(WEB_AND_IDLE);
  const res = await runCli(["ctl", "status"], { cwd: dir, env: { ...process.env, XDG_STATE_HOME: join(dir, ".state") } });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /no running console found for .*devdeck\.yaml/);
});
