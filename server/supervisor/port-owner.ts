// Who holds a TCP port: a bind test, then /proc (Linux) or lsof + ps (elsewhere), and the line that says so.
import { execFile } from "node:child_process";
import { readFile, readdir, readlink } from "node:fs/promises";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import { promisify } from "node:util";
import { formatStartedAt, shortenCommand } from "../../shared/format.ts";
import { readProcStat } from "./proc.ts";

const run = promisify(execFile);

/** A process listening on a port. */
export interface PortOwner {
  pid: number;
  /** Full command line, arguments joined by spaces. */
  command: string;
  /** User name, or the uid as text when it has none. */
  user: string;
  uid: number;
  /** ms since the epoch; whole seconds at best (btime, ps lstart); NaN when unknown. */
  startedAt: number;
}

// Linux has reported USER_HZ = 100 to user space on every architecture since 2.6.
const CLOCK_TICKS_PER_S = 100;
const LSOF_TIMEOUT_MS = 3_000;
const TCP_LISTEN = "0A";

/**
 * Whether a service could listen on `port`. We bind rather than connect: a connect only sees a
 * server that accepts on the address we try (one on ::1 alone, or on a LAN address, answers no
 * connect to 127.0.0.1) and costs a round trip, while the service itself will bind. The dual-stack
 * wildcard `::` collides on Linux with any listener on the port (0.0.0.0, ::, 127.0.0.1, ::1); BSD
 * lets a wildcard bind beside a specific one, so the loopback addresses are tried as well.
 */
export async function isPortFree(port: number): Promise<boolean> {
  const wildcard = await tryBind(port, "::");
  if (wildcard === "in-use") return false;
  // No IPv6 on this host: the IPv4 wildcard then covers what `::` would have.
  if (wildcard === "unavailable" && (await tryBind(port, "0.0.0.0")) === "in-use") return false;
  for (const host of ["127.0.0.1", "::1"]) {
    if ((await tryBind(port, host)) === "in-use") return false;
  }
  return true;
}

type BindResult = "free" | "in-use" | "unavailable";

function tryBind(port: number, host: string): Promise<BindResult> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      // EACCES (a port below 1024) is not "in use": the service will get its own clearer error.
      resolve(err.code === "EADDRINUSE" ? "in-use" : "unavailable");
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve("free")));
  });
}

/** The process listening on `port`, or null when nobody does or we may not look (another user's fds). */
export async function findPortOwner(port: number): Promise<PortOwner | null> {
  try {
    return process.platform === "linux" ? await findWithProc(port) : await findWithLsof(port);
  } catch {
    return null;
  }
}

async function findWithProc(port: number): Promise<PortOwner | null> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const inode of listeningInodes(text, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return null;
  const holders = await pidsHolding(inodes);
  const pid = topmostHolder(holders);
  return pid === null ? null : describeProcess(pid);
}

/** Inodes of LISTEN sockets on `port` in a /proc/net/tcp{,6} table. */
export function listeningInodes(table: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split("\n").slice(1)) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    const f = line.trim().split(/\s+/);
    const local = f[1];
    if (local === undefined || f[3] !== TCP_LISTEN || f[9] === undefined) continue;
    if (parseInt(local.slice(local.lastIndexOf(":") + 1), 16) === port && f[9] !== "0") inodes.push(f[9]);
  }
  return inodes;
}

async function pidsHolding(inodes: ReadonlySet<string>): Promise<number[]> {
  const pids = (await readdir("/proc")).filter((e) => /^\d+$/.test(e));
  const holders: number[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      // Another user's fd folder is unreadable (EACCES): that process stays unknown.
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
        if (target.startsWith("socket:[") && inodes.has(target.slice(8, -1))) {
          holders.push(Number(pid));
          return;
        }
      }
    }),
  );
  return holders;
}

// A pre-forking server (gunicorn, puma, a shell that passed its fd on) shares the socket with its
// workers: name the one whose parent does not hold it too, the process to stop.
function topmostHolder(pids: readonly number[]): number | null {
  const held = new Set(pids);
  const tops = pids.filter((pid) => !held.has(readProcStat(pid)?.ppid ?? -1)).sort((a, b) => a - b);
  return tops[0] ?? [...pids].sort((a, b) => a - b)[0] ?? null;
}

async function describeProcess(pid: number): Promise<PortOwner | null> {
  const stat = readProcStat(pid);
  if (!stat) return null;
  const [cmdline, comm, status, procStat] = await Promise.all([
    readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => ""),
    readFile(`/proc/${pid}/comm`, "utf8").catch(() => ""),
    readFile(`/proc/${pid}/status`, "utf8"),
    readFile("/proc/stat", "utf8"),
  ]);
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
  const bootS = Number(/^btime\s+(\d+)/m.exec(procStat)?.[1] ?? NaN);
  if (!Number.isFinite(uid) || !Number.isFinite(bootS)) return null;
  const command = cmdline.replace(/\0+$/, "").split("\0").join(" ") || `[${comm.trim()}]`;
  const startedAt = Math.round((bootS + stat.startTime / CLOCK_TICKS_PER_S) * 1000);
  return { pid, command, user: await userName(uid), uid, startedAt };
}

async function userName(uid: number): Promise<string> {
  try {
    const me = userInfo();
    if (me.uid === uid) return me.username;
  } catch {
    // no passwd entry for devdeck's own uid (containers): fall through
  }
  const passwd = await readFile("/etc/passwd", "utf8").catch(() => "");
  for (const line of passwd.split("\n")) {
    const [name, , id] = line.split(":");
    if (name && Number(id) === uid) return name;
  }
  return String(uid);
}

/** macOS and other Unixes: `lsof` names the listener, `ps` its command line and start time. */
export async function findWithLsof(port: number): Promise<PortOwner | null> {
  const lsof = await run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-FpcuL"], { timeout: LSOF_TIMEOUT_MS });
  // -F output: one field per line, first letter names it; p starts a process set.
  const fields = new Map<string, string>();
  for (const line of lsof.stdout.split("\n")) {
    const key = line[0];
    if (key === undefined || (key === "p" && fields.has("p"))) break;
    if ("pcuL".includes(key)) fields.set(key, line.slice(1));
  }
  const pid = Number(fields.get("p"));
  const uid = Number(fields.get("u"));
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(uid)) return null;
  const ps = (columns: string) =>
    run("ps", ["-o", columns, "-p", String(pid)], { timeout: LSOF_TIMEOUT_MS }).then((r) => r.stdout.trim(), () => "");
  const [lstart, command] = await Promise.all([ps("lstart="), ps("command=")]);
  // lstart reads like "Mon Jan  1 14:03:12 2024", local time, which Date parses.
  const startedAt = Date.parse(lstart);
  return {
    pid,
    command: command || fields.get("c") || "?",
    user: fields.get("L") ?? (await userName(uid)),
    uid,
    startedAt,
  };
}

/** The `system` line for a taken port: who holds it and what to do. */
export function describePortOwner(port: number, owner: PortOwner | null, now = Date.now()): string {
  const advice = "stop it, or change this service's port";
  if (!owner) return `port ${port} is in use by a process devdeck cannot inspect — ${advice}`;
  const command = shortenCommand(owner.command);
  return `port ${port} is already in use by pid ${owner.pid} (${command}), user ${owner.user}, since ${formatStartedAt(owner.startedAt, now, "seconds")} — ${advice}`;
}

/** Whether devdeck may signal the owner: same uid (what kill(2) allows an unprivileged user). */
export function canStop(owner: PortOwner): boolean {
  return typeof process.getuid === "function" && owner.uid === process.getuid();
}
