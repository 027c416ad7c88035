import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCommand, type Command } from "../../server/cli/args.ts";
import { isDevdeckError } from "../../server/errors.ts";

const run = (over: object = {}) => ({
  kind: "run",
  options: { config: null, host: "127.0.0.1", port: 7007, readOnly: false, open: false, detach: false, services: [], ...over },
});
const ctl = (over: object) => ({ kind: "ctl", options: { service: null, follow: false, config: null, url: null, ...over } });

const accepted: Array<[string[], Command | object]> = [
  [[], run()],
  [["-c", "x.yaml", "-H", "0.0.0.0", "-p", "0", "web", "api"], run({ config: "x.yaml", host: "0.0.0.0", port: 0, services: ["web", "api"] })],
  [["--config=x.yml", "--host", "[::1]", "--port", "65535", "--read-only", "--open", "-d"], run({ config: "x.yml", host: "::1", port: 65535, readOnly: true, open: true, detach: true })],
  [["-h"], { kind: "help", topic: "run" }],
  [["--version"], { kind: "version" }],
  [["ctl", "status"], ctl({ action: "status" })],
  [["ctl", "logs", "web", "-f", "-c", "d.yaml"], ctl({ action: "logs", service: "web", follow: true, config: "d.yaml" })],
  [["ctl", "restart", "web", "--url", "http://127.0.0.1:7007/"], ctl({ action: "restart", service: "web", url: "http://127.0.0.1:7007/" })],
  [["ctl", "shutdown"], ctl({ action: "shutdown" })],
  [["ctl", "--help"], { kind: "help", topic: "ctl" }],
];

test("parseCommand reads the options of SPEC.md, services as positionals, and ctl actions", () => {
  for (const [argv, expected] of accepted) assert.deepEqual(parseCommand(argv), expected, argv.join(" "));
});

const refused: Array<[string[], RegExp]> = [
  [["-p", "70000"], /--port must be a number from 0 to 65535/],
  [["-p", "abc"], /--port/],
  [["-p", "-1"], /--port|argument/],
  [["--bogus"], /Unknown option '--bogus'/],
  [["-H", ""], /--host needs an address/],
  [["ctl"], /needs an action/],
  [["ctl", "explode"], /unknown ctl action 'explode'/],
  [["ctl", "status", "web", "extra"], /unexpected argument 'extra'/],
  [["ctl", "shutdown", "web"], /takes no service/],
  [["ctl", "status", "-f"], /-f only goes with/],
  [["ctl", "status", "--url", "http://h:1/?token=s3cret"], /must not carry a token/],
  [["ctl", "status", "--url", "http://user:s3cret@h:1/"], /must not carry a token/],
  [["ctl", "status", "--url", "ftp://h/"], /must be an http:\/\/ URL/],
];

test("bad command lines throw DD_ERR_BAD_ARGS with one clear message and never echo a token", () => {
  for (const [argv, message] of refused) {
    assert.throws(
      () => parseCommand(argv),
      (err: unknown) => isDevdeckError(err) && err.code === "DD_ERR_BAD_ARGS" && message.test(err.message) && !err.message.includes("s3cret"),
      argv.join(" "),
    );
  }
});
