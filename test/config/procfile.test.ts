import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../server/config/load.ts";
import { parseProcfile } from "../../server/config/procfile.ts";
import { isDevdeckError } from "../../server/errors.ts";
import { consoleDefaults, serviceDefaults } from "../helpers/specs.ts";

const FILE = "/project/Procfile";

test("procfile: `name: command` lines become services with defaults; comments and blank lines are skipped", () => {
  const text = "# processes\nweb: bundle exec rails s -p $PORT\n\n  worker:bundle exec sidekiq  \r\nclock_2: ./clock --every=1:00\n";
  const services = parseProcfile(text, FILE);
  assert.deepEqual(
    services.map((s) => [s.name, s.cmd]),
    [
      ["web", "bundle exec rails s -p $PORT"],
      ["worker", "bundle exec sidekiq"],
      ["clock_2", "./clock --every=1:00"],
    ],
  );
  const web = services[0];
  assert.ok(web);
  // SPEC.md's defaults, with the .env beside the Procfile, which may be missing.
  assert.deepEqual({ ...web, name: "", cmd: "" }, { name: "", cmd: "", cwd: "/project", ...serviceDefaults(), envFile: "/project/.env", envFileOptional: true });
});

const BAD: Array<{ title: string; text: string; expected: RegExp }> = [
  { title: "a line without a colon", text: "web: a\nrun the server\n", expected: /^\/project\/Procfile:2: expected a line "name: command"$/ },
  { title: "a name without a command", text: "web:\n", expected: /^\/project\/Procfile:1: expected a line "name: command"$/ },
  { title: "a duplicate name", text: "web: a\n# x\nweb: b\n", expected: /^\/project\/Procfile:3: web: is defined twice \(first on line 1\)$/ },
  { title: "a name that differs from an earlier one only in case", text: "web: a\nWeb: b\n", expected: /^\/project\/Procfile:2: Web: differs from 'web' \(line 1\) only in case; service names are matched case-insensitively$/ },
  { title: "a name that cannot be a host name", text: "my.web: a\n", expected: /^\/project\/Procfile:1: my\.web: is not a valid service name/ },
];

for (const c of BAD) {
  test(`procfile: ${c.title} is an error naming its line`, () => {
    assert.throws(() => parseProcfile(c.text, FILE), (err) => isDevdeckError(err) && err.code === "DD_ERR_CONFIG_INVALID" && c.expected.test(err.message));
  });
}

test("procfile: loadConfig reads a Procfile with the .env beside it for every service, and console defaults", (t) => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "devdeck-procfile-")));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "Procfile"), "web: node web.js\napi: node api.js\n");
  writeFileSync(join(dir, ".env"), "PORT=5000\n");
  const config = loadConfig(join(dir, "Procfile"));
  assert.equal(config.file, join(dir, "Procfile"));
  assert.deepEqual(
    config.services.map((s) => [s.name, s.cwd, s.envFile, s.envFileOptional]),
    [
      ["web", dir, join(dir, ".env"), true],
      ["api", dir, join(dir, ".env"), true],
    ],
  );
  assert.deepEqual(config.console, consoleDefaults());
});
