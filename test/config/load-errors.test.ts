import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../server/config/load.ts";
import { isDevdeckError } from "../../server/errors.ts";

// A temp project holding `files`; removed after the test.
function project(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "devdeck-config-")));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "backend"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// The message of the DD_ERR_CONFIG_INVALID that loading `file` throws.
function loadError(file: string): string {
  try {
    loadConfig(file);
  } catch (err) {
    assert.ok(isDevdeckError(err), `not a devdeck error: ${String(err)}`);
    assert.equal(err.code, "DD_ERR_CONFIG_INVALID");
    return err.message;
  }
  assert.fail("the config loaded without an error");
}

const CASES: Array<{ title: string; yaml: string; line: number; field: string; problem: RegExp }> = [
  { title: "a YAML syntax error names its own line", yaml: "services:\n  web:\n    cmd: [a, b\n  api: {}\n", line: 4, field: "", problem: /YAML syntax/ },
  { title: "a duplicate key names the second one", yaml: "services:\n  web:\n    cmd: a\n  web:\n    cmd: b\n", line: 4, field: "", problem: /YAML syntax: .*unique/ },
  { title: "an unknown field names the line of its key", yaml: "services:\n  web:\n    cmd: a\n    comand: b\n", line: 4, field: "services.web.comand", problem: /unknown field/ },
  { title: "an unknown top-level field is refused", yaml: "sevices:\n  web:\n    cmd: a\n", line: 1, field: "sevices", problem: /unknown field/ },
  { title: "a wrong type names the line of the value", yaml: "services:\n  web:\n    cmd: a\n    port:\n      \"80\"\n", line: 5, field: "services.web.port", problem: /must be a port number from 1 to 65535/ },
  { title: "a port out of range is refused", yaml: "services:\n  web:\n    cmd: a\n    port: 70000\n", line: 4, field: "services.web.port", problem: /port number/ },
  { title: "a service without cmd names the line of the service's key", yaml: "services:\n  web:\n    cmd: a\n  api:\n    cwd: backend\n", line: 4, field: "services.api.cmd", problem: /is required/ },
  { title: "an empty service is refused", yaml: "services:\n  web:\n  api:\n    cmd: a\n", line: 2, field: "services.web", problem: /at least cmd/ },
  { title: "an empty cmd list is refused", yaml: "services:\n  web:\n    cmd: []\n", line: 3, field: "services.web.cmd", problem: /non-empty/ },
  { title: "a blank cmd string is refused", yaml: "services:\n  web:\n    cmd: '  '\n", line: 3, field: "services.web.cmd", problem: /non-empty/ },
  { title: "a restart policy outside the list is refused", yaml: "services:\n  web:\n    cmd: a\n    restart: sometimes\n", line: 4, field: "services.web.restart", problem: /must be one of no, on-failure, always/ },
  { title: "a signal name without SIG is refused", yaml: "services:\n  web:\n    cmd: a\n    stop_signal: TERM\n", line: 4, field: "services.web.stop_signal", problem: /signal name/ },
  { title: "an unknown signal name is refused", yaml: "services:\n  web:\n    cmd: a\n    stop_signal: SIGFOO\n", line: 4, field: "services.web.stop_signal", problem: /signal name/ },
  { title: "a negative stop_timeout is refused", yaml: "services:\n  web:\n    cmd: a\n    stop_timeout: -1\n", line: 4, field: "services.web.stop_timeout", problem: /seconds/ },
  { title: "a cwd that does not exist is refused", yaml: "services:\n  web:\n    cmd: a\n    cwd: nowhere\n", line: 4, field: "services.web.cwd", problem: /folder .*nowhere does not exist/ },
  { title: "a missing env_file is refused", yaml: "services:\n  web:\n    cmd: a\n    env_file: .env.missing\n", line: 4, field: "services.web.env_file", problem: /\.env\.missing does not exist/ },
  { title: "an env value that is a list is refused", yaml: "services:\n  web:\n    cmd: a\n    env:\n      A: 1\n      B: [1]\n", line: 6, field: "services.web.env.B", problem: /string, number or boolean/ },
  { title: "an invalid ready.log regex is refused", yaml: "services:\n  web:\n    cmd: a\n    ready:\n      log: \"([a-\"\n", line: 5, field: "services.web.ready.log", problem: /not a valid regular expression/ },
  { title: "a ready with two probes is refused", yaml: "services:\n  web:\n    cmd: a\n    ready: { log: x, port: 80 }\n", line: 4, field: "services.web.ready", problem: /exactly one of log/ },
  { title: "a ready.http that is not a URL is refused", yaml: "services:\n  web:\n    cmd: a\n    ready: { http: 'localhost:80' }\n", line: 4, field: "services.web.ready.http", problem: /http:\/\/ or https:\/\/ URL/ },
  { title: "a non-string watch entry names its line", yaml: "services:\n  web:\n    cmd: a\n    watch:\n      - src\n      - 3\n", line: 6, field: "services.web.watch[1]", problem: /must be a string/ },
  { title: "an absolute watch glob names its entry's line", yaml: "services:\n  web:\n    cmd: a\n    watch:\n      - src/**\n      - /etc/**\n", line: 6, field: "services.web.watch[1]", problem: /watch pattern '\/etc\/\*\*' must be a glob relative to the service's cwd/ },
  { title: "a watch glob climbing out with .. is refused", yaml: "services:\n  web:\n    cmd: a\n    watch: [\"../shared/**\"]\n", line: 4, field: "services.web.watch[0]", problem: /without '\.\.'/ },
  { title: "a negated watch glob climbing out with .. is refused", yaml: "services:\n  web:\n    cmd: a\n    watch:\n      - \"**/*.ts\"\n      - \"!src/../../x\"\n", line: 6, field: "services.web.watch[1]", problem: /watch pattern '!src\/\.\.\/\.\.\/x'/ },
  { title: "a bare ! watch entry is refused", yaml: "services:\n  web:\n    cmd: a\n    watch: [\"!\"]\n", line: 4, field: "services.web.watch[0]", problem: /must be a glob relative/ },
  { title: "service names that differ only in case name the second one's line", yaml: "services:\n  web:\n    cmd: a\n  Web:\n    cmd: b\n", line: 4, field: "services.Web", problem: /differs from 'web' \(line 2\) only in case/ },
  { title: "a case clash is found past other services", yaml: "services:\n  API:\n    cmd: a\n  db:\n    cmd: b\n  api:\n    cmd: c\n    restart: \"no\"\n", line: 6, field: "services.api", problem: /differs from 'API' \(line 2\) only in case/ },
  { title: "depends_on naming an unknown service is refused", yaml: "services:\n  web:\n    cmd: a\n    depends_on: [dbb]\n  db:\n    cmd: b\n", line: 4, field: "services.web.depends_on[0]", problem: /unknown service 'dbb'/ },
  { title: "a depends_on cycle names the line of a depends_on", yaml: "services:\n  a:\n    cmd: a\n    depends_on: [b]\n  b:\n    cmd: b\n    depends_on: [a]\n", line: 7, field: "services.b.depends_on", problem: /cycle: a → b → a/ },
  { title: "a service depending on itself is a cycle", yaml: "services:\n  a:\n    cmd: a\n    depends_on: [a]\n", line: 4, field: "services.a.depends_on", problem: /cycle: a → a/ },
  { title: "a service name that cannot be a host name is refused", yaml: "services:\n  web.app:\n    cmd: a\n", line: 2, field: "services.web.app", problem: /not a valid service name/ },
  { title: "console.buffer under 100 is refused", yaml: "services: {}\nconsole:\n  buffer: 10\n", line: 3, field: "console.buffer", problem: /100 or more/ },
  { title: "console.max_line under 256 is refused", yaml: "console:\n  max_line: 100\n", line: 2, field: "console.max_line", problem: /256 or more/ },
  { title: "console.auth outside the list is refused", yaml: "console:\n  auth: never\n", line: 2, field: "console.auth", problem: /one of auto, token/ },
  { title: "an unknown field in console.proxy is refused", yaml: "console:\n  proxy: { port: 7000, host: x }\n", line: 2, field: "console.proxy.host", problem: /unknown field/ },
  { title: "a file that is not a mapping is refused", yaml: "- web\n", line: 1, field: "", problem: /must be a mapping/ },
];

for (const c of CASES) {
  test(`config: ${c.title} (file:line: field: problem)`, (t) => {
    const dir = project(t, { "devdeck.yaml": c.yaml });
    const message = loadError(join(dir, "devdeck.yaml"));
    const prefix = `${join(dir, "devdeck.yaml")}:${c.line}: ${c.field ? `${c.field}: ` : ""}`;
    const line = message.split("\n").find((l) => l.startsWith(prefix));
    assert.ok(line, `no line starting with ${JSON.stringify(prefix)} in:\n${message}`);
    assert.match(line.slice(prefix.length), c.problem);
  });
}

test("config: every problem of a file is listed, one per line, in line order", (t) => {
  const yaml = "services:\n  web:\n    cmd: a\n    restart: sometimes\n  api:\n    cwd: nowhere\n    cmd: b\n  db:\n    cwd: backend\n";
  const dir = project(t, { "devdeck.yaml": yaml });
  const lines = loadError(join(dir, "devdeck.yaml")).split("\n");
  assert.deepEqual(
    lines.map((l) => l.slice(dir.length + 1).split(": ").slice(0, 2).join(": ")),
    ["devdeck.yaml:4: services.web.restart", "devdeck.yaml:6: services.api.cwd", "devdeck.yaml:8: services.db.cmd"],
  );
});

test("config: valid watch globs (relative, ./-prefixed, negated, with a dot in a name) load unchanged", (t) => {
  const watch = ["src/**/*.py", "./templates/*.html", "!**/__pycache__/**", "a..b/*.txt"];
  const dir = project(t, { "devdeck.yaml": `services:\n  web:\n    cmd: a\n    watch: ${JSON.stringify(watch)}\n` });
  assert.deepEqual(loadConfig(join(dir, "devdeck.yaml")).services[0]?.watch, watch);
});

test("config: names that differ only in case are refused once per clash, every other problem still listed", (t) => {
  const yaml = "services:\n  web:\n    cmd: a\n  WEB:\n    cmd: b\n  Web:\n    cmd: c\n    port: 0\n";
  const dir = project(t, { "devdeck.yaml": yaml });
  const lines = loadError(join(dir, "devdeck.yaml")).split("\n").map((l) => l.slice(dir.length + 1));
  assert.deepEqual(lines, [
    "devdeck.yaml:4: services.WEB: differs from 'web' (line 2) only in case; service names are matched case-insensitively",
    "devdeck.yaml:6: services.Web: differs from 'web' (line 2) only in case; service names are matched case-insensitively",
    "devdeck.yaml:8: services.Web.port: must be a port number from 1 to 65535",
  ]);
});

test("config: a JSON config reports the line of the bad value", (t) => {
  const json = '{\n  "services": {\n    "web": {\n      "cmd": "a",\n      "autostart": "yes"\n    }\n  }\n}\n';
  const dir = project(t, { "devdeck.json": json });
  assert.equal(loadError(join(dir, "devdeck.json")), `${join(dir, "devdeck.json")}:5: services.web.autostart: must be true or false`);
});

test("config: a config file that cannot be read is an error naming it", (t) => {
  const dir = project(t, {});
  assert.match(loadError(join(dir, "nope.yaml")), /nope\.yaml: cannot read the config file \(ENOENT\)/);
});
