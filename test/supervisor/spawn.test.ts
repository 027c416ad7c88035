// Starting a command: environment, shell or not, failures as `crashed` with a reason, output kept to the last byte.
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { fixtureCmd, fixtureShell, makeSpec, startDeck, tempDir } from "./harness.ts";
import { releasedPort } from "../helpers/ports.ts";

const READY = { log: /^ready$/, port: null, http: null };

test("a list command that does not exist is `crashed` with the reason in status and log; devdeck stays up", async (t) => {
  const deck = startDeck(t, [makeSpec("ghost", ["/nonexistent/bin/ghost", "--serve"], { restart: "always" })]);
  await deck.sup.start("ghost");
  const status = deck.sup.get("ghost");
  assert.equal(status?.state, "crashed");
  assert.equal(status?.reason, "command not found: /nonexistent/bin/ghost");
  assert.equal(status?.pid, null);
  assert.deepEqual(deck.texts("ghost", "system"), ["cannot start: command not found: /nonexistent/bin/ghost"]);
});

test("a shell command that is not found (exit 127) is `crashed` as 'command not found', and not restarted", async (t) => {
  const deck = startDeck(t, [makeSpec("ghost", "definitely-not-a-command-7f3a --port 1", { restart: "always" })], { backoffBaseMs: 10 });
  await deck.sup.start("ghost");
  const status = await deck.waitState("ghost", "crashed");
  assert.equal(status.exitCode, 127);
  assert.equal(status.reason, "command not found: definitely-not-a-command-7f3a (the shell exited with code 127)");
  assert.equal(deck.texts("ghost", "system").at(-1), status.reason);
  assert.equal(deck.history.some((s) => s.state === "backoff"), false);
});

test("a file that is not executable, a missing cwd and a missing env_file each give `crashed` with their reason", async (t) => {
  const dir = tempDir(t);
  const script = join(dir, "script.sh");
  writeFileSync(script, "#!/bin/sh\necho hi\n");
  chmodSync(script, 0o644);
  const deck = startDeck(t, [
    makeSpec("noexec", [script]),
    makeSpec("nocwd", fixtureCmd("sleeper"), { cwd: join(dir, "missing") }),
    makeSpec("noenv", fixtureCmd("sleeper"), { envFile: join(dir, ".env.missing") }),
  ]);
  await deck.sup.startAll();
  assert.deepEqual(
    deck.sup.list().map((s) => [s.state, s.reason]),
    [
      ["crashed", `command not executable: ${script}`],
      ["crashed", `cwd does not exist: ${join(dir, "missing")}`],
      ["crashed", `env_file not found: ${join(dir, ".env.missing")}`],
    ],
  );
});

test("an edited env_file takes effect on restart; env wins over env_file; PORT and FORCE_COLOR are set", async (t) => {
  const dir = tempDir(t);
  const envFile = join(dir, ".env");
  writeFileSync(envFile, "GREETING=one\nSHADOWED=from-file\n");
  const port = await releasedPort();
  const spec = makeSpec("env", fixtureCmd("echo-env", "GREETING", "SHADOWED", "PORT", "FORCE_COLOR"), {
    envFile,
    env: { SHADOWED: "from-env" },
    port,
    ready: READY,
  });
  const deck = startDeck(t, [spec]);
  await deck.sup.start("env");
  await deck.waitState("env", "running");
  assert.deepEqual(deck.texts("env", "stdout"), ["GREETING=one", "SHADOWED=from-env", `PORT=${port}`, "FORCE_COLOR=1", "ready"]);
  writeFileSync(envFile, "GREETING=two\n");
  await deck.sup.restart("env");
  await deck.waitLine("env", (text) => text.startsWith("GREETING=two"));
});

test("color: false leaves FORCE_COLOR and CLICOLOR_FORCE out of the environment", async (t) => {
  const deck = startDeck(t, [makeSpec("env", fixtureCmd("echo-env", "FORCE_COLOR", "CLICOLOR_FORCE"), { color: false, ready: READY })]);
  await deck.sup.start("env");
  await deck.waitState("env", "running");
  assert.deepEqual(deck.texts("env", "stdout"), ["FORCE_COLOR=", "CLICOLOR_FORCE=", "ready"]);
});

test("a string command runs in bash (`source … &&` works); a list runs without a shell", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "activate"), "export VENV_ON=yes\n");
  const deck = startDeck(t, [
    makeSpec("shell", `source ./activate && ${fixtureShell("echo-env", "VENV_ON")}`, { cwd: dir, ready: READY }),
    makeSpec("argv", [process.execPath, "-e", "console.log(process.argv[1])", "$HOME && echo hi"]),
  ]);
  await deck.sup.startAll();
  await deck.waitState("shell", "running");
  assert.equal(deck.texts("shell", "stdout")[0], "VENV_ON=yes");
  await deck.waitState("argv", "exited");
  assert.deepEqual(deck.texts("argv", "stdout"), ["$HOME && echo hi"]);
});

test("a partial last line is flushed at exit and the exit line comes after the last output", async (t) => {
  const deck = startDeck(t, [makeSpec("printer", fixtureCmd("print-lines", "3", "2", "no newline at the end"))]);
  await deck.sup.start("printer");
  await deck.waitState("printer", "crashed");
  const lines = deck.lines("printer").map((l) => `${l.stream}: ${l.text}`);
  assert.deepEqual(lines.slice(1), ["stdout: line 1", "stdout: line 2", "stdout: line 3", "stdout: no newline at the end", "system: exited with code 2"]);
  assert.match(lines[0] ?? "", /^system: started \(pid \d+\): /);
});

test("a service whose port is taken does not start: `crashed`, naming the holder, not restarted", async (t) => {
  const server = createServer();
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("http-server"), { port, restart: "always" })], { backoffBaseMs: 10 });
  await deck.sup.start("web");
  const status = deck.sup.get("web");
  assert.equal(status?.state, "crashed");
  assert.match(status?.reason ?? "", new RegExp(`^port ${port} is already in use by pid ${process.pid} \\(.*node`));
  assert.equal(deck.texts("web", "system").at(-1), `cannot start: ${status?.reason}`);
});
