import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findConfig, findConfigUpwards, loadConfig } from "../../server/config/load.ts";
import type { ServiceSpec } from "../../server/config/types.ts";
import { isDevdeckError } from "../../server/errors.ts";
import { consoleDefaults, serviceDefaults } from "../helpers/specs.ts";

function project(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "devdeck-config-")));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function only(services: ServiceSpec[], name: string): ServiceSpec {
  const svc = services.find((s) => s.name === name);
  assert.ok(svc, `no service ${name}`);
  return svc;
}

test("config: a service with only cmd gets SPEC.md's defaults", (t) => {
  const dir = project(t, { "devdeck.yaml": "services:\n  web:\n    cmd: npm run dev\n" });
  const config = loadConfig(join(dir, "devdeck.yaml"));
  assert.deepEqual(config, {
    file: join(dir, "devdeck.yaml"),
    dir,
    services: [{ name: "web", cmd: "npm run dev", cwd: dir, ...serviceDefaults() }],
    console: consoleDefaults(),
  });
});

test("config: every field of SPEC.md's example is read and resolved", (t) => {
  const yaml = `services:
  web:
    cmd: [python, manage.py, runserver, "0:8000"]
    cwd: backend
    env: { DEBUG: 1, VERBOSE: true, NAME: x }
    env_file: backend/.env
    port: 8000
    autostart: false
    restart: always
    stop_signal: SIGINT
    stop_timeout: 1.5
    ready: { log: "Starting development server" }
    url: http://localhost:8000/
    watch: ["src/**/*.py", "!**/__pycache__/**"]
    depends_on: [db]
    pty: true
    color: false
  db:
    cmd: postgres
console:
  buffer: 500
  max_line: 1024
  allowed_hosts: [devbox.local]
  auth: token
  proxy: { port: 7000 }
`;
  const dir = project(t, { "devdeck.yaml": yaml, "backend/.env": "A=1\n" });
  const config = loadConfig(join(dir, "devdeck.yaml"));
  const web = only(config.services, "web");
  assert.ok(web.ready?.log instanceof RegExp);
  assert.equal(web.ready.log.test("Starting development server at …"), true);
  assert.deepEqual({ ...web, ready: { ...web.ready, log: String(web.ready.log) } }, {
    name: "web",
    cmd: ["python", "manage.py", "runserver", "0:8000"],
    cwd: join(dir, "backend"),
    env: { DEBUG: "1", VERBOSE: "true", NAME: "x" },
    envFile: join(dir, "backend/.env"),
    envFileOptional: false,
    port: 8000,
    autostart: false,
    restart: "always",
    stopSignal: "SIGINT",
    stopTimeoutMs: 1500,
    ready: { log: "/Starting development server/", port: null, http: null },
    url: "http://localhost:8000/",
    watch: ["src/**/*.py", "!**/__pycache__/**"],
    dependsOn: ["db"],
    pty: true,
    color: false,
  });
  assert.deepEqual(config.services.map((s) => s.name), ["web", "db"], "file order");
  assert.deepEqual(config.console, { buffer: 500, maxLineBytes: 1024, allowedHosts: ["devbox.local"], auth: "token", proxy: { port: 7000 } });
});

test("config: a relative cwd is relative to the config's folder, not the working directory", (t) => {
  const dir = project(t, { "conf/devdeck.yaml": "services:\n  web:\n    cmd: a\n    cwd: ../app\n", "app/x": "" });
  const config = loadConfig(join(dir, "conf/devdeck.yaml"));
  assert.equal(only(config.services, "web").cwd, join(dir, "app"));
  assert.equal(config.dir, join(dir, "conf"));
});

test("config: a port alone implies a port probe; an explicit ready wins", (t) => {
  const yaml = "services:\n  web:\n    cmd: a\n    port: 3000\n  api:\n    cmd: b\n    port: 4000\n    ready: { http: 'http://127.0.0.1:4000/health' }\n";
  const dir = project(t, { "devdeck.yaml": yaml });
  const { services } = loadConfig(join(dir, "devdeck.yaml"));
  assert.deepEqual(only(services, "web").ready, { log: null, port: 3000, http: null });
  assert.deepEqual(only(services, "api").ready, { log: null, port: null, http: "http://127.0.0.1:4000/health" });
});

test("config: a JSON config loads like YAML", (t) => {
  const dir = project(t, { "devdeck.json": '{ "services": { "web": { "cmd": ["node", "x.js"], "ready": { "port": 3000 } } } }' });
  const web = only(loadConfig(join(dir, "devdeck.json")).services, "web");
  assert.deepEqual([web.cmd, web.ready], [["node", "x.js"], { log: null, port: 3000, http: null }]);
});

test("config: `restart: no` stays the string no (YAML 1.2, not a boolean)", (t) => {
  const dir = project(t, { "devdeck.yaml": "services:\n  web:\n    cmd: a\n    restart: no\n" });
  assert.equal(only(loadConfig(join(dir, "devdeck.yaml")).services, "web").restart, "no");
});

test("config: `file` is the real path of the config, through symlinks", (t) => {
  const dir = project(t, { "real/devdeck.yaml": "services: {}\n" });
  symlinkSync(join(dir, "real"), join(dir, "link"));
  const config = loadConfig(join(dir, "link/devdeck.yaml"));
  assert.equal(config.file, join(dir, "real/devdeck.yaml"));
  assert.deepEqual(config.services, []);
});

test("config: findConfig prefers devdeck.yaml, then .yml, then .json, then Procfile", (t) => {
  const dir = project(t, { "devdeck.yaml": "", "devdeck.yml": "", "devdeck.json": "", Procfile: "" });
  const order: string[] = [];
  for (const name of ["devdeck.yaml", "devdeck.yml", "devdeck.json", "Procfile"]) {
    order.push(findConfig(dir));
    rmSync(join(dir, name));
  }
  assert.deepEqual(order, ["devdeck.yaml", "devdeck.yml", "devdeck.json", "Procfile"].map((n) => join(dir, n)));
  assert.throws(() => findConfig(dir), (err) => isDevdeckError(err) && err.code === "DD_ERR_CONFIG_NOT_FOUND" && err.message.includes(dir));
});

test("config: findConfigUpwards finds the nearest parent's config, or null", (t) => {
  const dir = project(t, { "devdeck.yml": "", "a/b/x": "" });
  assert.equal(findConfigUpwards(join(dir, "a/b")), join(dir, "devdeck.yml"));
  rmSync(join(dir, "devdeck.yml"));
  writeFileSync(join(dir, "a/Procfile"), "");
  assert.equal(findConfigUpwards(join(dir, "a/b")), join(dir, "a/Procfile"));
});
