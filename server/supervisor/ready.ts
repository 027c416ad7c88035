// Readiness probes of SPEC.md: `ready.log` (regex on output), `ready.port` (TCP connect), `ready.http` (any answer).
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { ReadySpec } from "../config/types.ts";
import type { ServiceLog } from "../logs/types.ts";

/** Pause between two connection attempts of the port and HTTP probes. */
export const PROBE_INTERVAL_MS = 100;
/** One HTTP probe request may take this long before it counts as "no answer yet". */
export const HTTP_PROBE_TIMEOUT_MS = 2_000;

/** Resolves when every probe of `spec` has passed; rejects with an AbortError once `signal` aborts. */
export async function waitReady(spec: ReadySpec, log: ServiceLog, signal: AbortSignal): Promise<void> {
  const probes: Array<Promise<void>> = [];
  if (spec.log) probes.push(waitForLogLine(spec.log, log, signal));
  if (spec.port !== null) probes.push(retry(() => canConnect(spec.port ?? 0), signal));
  if (spec.http !== null) probes.push(retry(() => answersHttp(spec.http ?? "", signal), signal));
  await Promise.all(probes);
}

/** Resolves on the first stdout/stderr line matching `pattern`. */
export function waitForLogLine(pattern: RegExp, log: ServiceLog, signal: AbortSignal): Promise<void> {
  // A /g or /y regex keeps lastIndex between test() calls and would skip matches: use a plain copy.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => {
      unsubscribe();
      reject(abortError(signal));
    };
    const unsubscribe = log.onLine((line) => {
      if (line.stream === "system" || !re.test(line.text)) return;
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** How long one TCP connect attempt of the port probe may take. */
export const CONNECT_PROBE_TIMEOUT_MS = 1_000;

/** Whether something accepts a TCP connection on 127.0.0.1:port, or else on [::1]:port. */
export async function canConnect(port: number): Promise<boolean> {
  return (await tryConnect("127.0.0.1", port)) || (await tryConnect("::1", port));
}

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    // A dropped SYN (full accept queue, a firewall) would otherwise hold the probe for minutes.
    socket.setTimeout(CONNECT_PROBE_TIMEOUT_MS, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
  });
}

/** Whether `url` gives any HTTP answer (every status counts: the server is up). */
export function answersHttp(url: string, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const request = url.startsWith("https:") ? httpsRequest : httpRequest;
    // A dev server's certificate is usually self-signed: any answer proves readiness, trust is not the point.
    const req = request(url, { method: "GET", agent: false, signal, timeout: HTTP_PROBE_TIMEOUT_MS, rejectUnauthorized: false });
    req.once("error", () => resolve(false));
    req.once("timeout", () => req.destroy());
    req.once("response", (res) => {
      res.on("error", () => {});
      res.resume();
      req.destroy();
      resolve(true);
    });
    req.end();
  });
}

async function retry(attempt: () => Promise<boolean>, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) throw abortError(signal);
    if (await attempt()) return;
    // Rejects with AbortError when aborted: the probe ends with the run it belongs to.
    await delay(PROBE_INTERVAL_MS, undefined, { signal });
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("probe aborted", "AbortError");
}
