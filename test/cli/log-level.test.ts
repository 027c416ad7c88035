// DEVDECK_LOG_LEVEL (README, Environment): a known pino level, or a one-line error before anything starts.
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { isDevdeckError } from "../../server/errors.ts";
import { LOG_LEVELS, createLogger, logLevelFrom } from "../../server/log.ts";
import { makeProject } from "../helpers/console.ts";
import { pathsOf, runCli } from "./harness.ts";

test("log level: unset or empty DEVDECK_LOG_LEVEL gives the default; each pino level is taken as written", () => {
  assert.equal(logLevelFrom(undefined, "warn"), "warn");
  assert.equal(logLevelFrom("", "info"), "info");
  for (const level of LOG_LEVELS) assert.equal(logLevelFrom(level, "info"), level);
});

for (const value of ["verbose", "INFO", " debug", "30", "warning"]) {
  test(`log level: DEVDECK_LOG_LEVEL=${JSON.stringify(value)} is DD_ERR_BAD_ARGS naming the levels`, () => {
    assert.throws(
      () => logLevelFrom(value, "info"),
      (err) =>
        isDevdeckError(err) &&
        err.code === "DD_ERR_BAD_ARGS" &&
        err.message === `DEVDECK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (not '${value}')`,
    );
  });
}

test("log level: createLogger honours a valid DEVDECK_LOG_LEVEL over its default", (t) => {
  const before = process.env["DEVDECK_LOG_LEVEL"];
  t.after(() => {
    if (before === undefined) delete process.env["DEVDECK_LOG_LEVEL"];
    else process.env["DEVDECK_LOG_LEVEL"] = before;
  });
  process.env["DEVDECK_LOG_LEVEL"] = "trace";
  assert.equal(createLogger("warn", { write: () => {} }).level, "trace");
});

test("log level: devdeck with DEVDECK_LOG_LEVEL=verbose prints one line, exits 2 and starts nothing", async (t) => {
  // The service would leave a file behind if it ever ran.
  const dir = makeProject("services:\n  web:\n    cmd: touch started\n");
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, XDG_STATE_HOME: join(dir, ".state"), DEVDECK_LOG_LEVEL: "verbose" };
  const res = await runCli(["-c", join(dir, "devdeck.yaml"), "-p", "0"], { cwd: dir, env });
  assert.equal(res.code, 2);
  assert.equal(res.stderr, "devdeck: DEVDECK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (not 'verbose')\n");
  assert.equal(res.stdout, "");
  assert.equal(existsSync(join(dir, "started")), false);
  assert.equal(existsSync(pathsOf(dir, env).record), false);
});
