// SPEC.md's defaults, written out for the tests: what loadConfig must resolve, and the base of the
// ServiceSpecs the harnesses build. Not imported from server/config: the tests check the code against them.
import type { ConsoleSpec, ServiceSpec } from "../../server/config/types.ts";

/** Every field of a service with only `cmd`, as SPEC.md sets it, except name, cmd and cwd. A fresh object each call. */
export function serviceDefaults(): Omit<ServiceSpec, "name" | "cmd" | "cwd"> {
  return {
    env: {},
    envFile: null,
    envFileOptional: false,
    port: null,
    autostart: true,
    restart: "on-failure",
    stopSignal: "SIGTERM",
    stopTimeoutMs: 5_000,
    ready: null,
    url: null,
    watch: [],
    dependsOn: [],
    pty: false,
    color: true,
  };
}

/** The `console:` section with nothing set. A fresh object each call. */
export function consoleDefaults(): ConsoleSpec {
  return { buffer: 10_000, maxLineBytes: 16_384, allowedHosts: [], auth: "auto", proxy: null };
}
