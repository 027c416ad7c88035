// The words shared by the server's lines and the UI (shared/format.ts, describeEnd in shared/service.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatStartedAt, MAX_COMMAND_CHARS, shortenCommand } from "../../shared/format.ts";
import { describeEnd, type ServiceStatus } from "../../shared/service.ts";

test("a start time reads as the clock time today, with the date on another day, in seconds or minutes", () => {
  const at = new Date(2024, 4, 2, 14, 3, 12).getTime();
  const laterToday = at + 60_000;
  const twoDaysLater = at + 2 * 86_400_000;
  assert.equal(formatStartedAt(at, laterToday, "seconds"), "14:03:12");
  assert.equal(formatStartedAt(at, laterToday, "minutes"), "14:03");
  assert.equal(formatStartedAt(at, twoDaysLater, "seconds"), "2024-05-02 14:03:12");
  assert.equal(formatStartedAt(at, twoDaysLater, "minutes"), "2024-05-02 14:03");
  assert.equal(formatStartedAt(Number.NaN, laterToday, "seconds"), "an unknown time");
});

test("a command line is cut after MAX_COMMAND_CHARS with an ellipsis, a shorter one kept whole", () => {
  assert.equal(shortenCommand("node server.js"), "node server.js");
  assert.equal(shortenCommand("x".repeat(MAX_COMMAND_CHARS)), "x".repeat(MAX_COMMAND_CHARS));
  assert.equal(shortenCommand("x".repeat(MAX_COMMAND_CHARS + 1)), `${"x".repeat(MAX_COMMAND_CHARS)}…`);
});

test("how a run ended: the status's reason first, then the signal, then the exit code, else nothing", () => {
  const end = (over: Partial<ServiceStatus>) => describeEnd({ reason: null, signal: null, exitCode: null, ...over } as ServiceStatus);
  assert.equal(end({ reason: "command not found: foo", exitCode: 127 }), "command not found: foo");
  assert.equal(end({ signal: "SIGKILL", exitCode: null }), "killed by SIGKILL");
  assert.equal(end({ exitCode: 1 }), "exited with code 1");
  assert.equal(end({ exitCode: 0 }), "exited with code 0");
  assert.equal(end({}), null);
});
