// Process checks for "no survivor" assertions. Zombies count as dead: this machine's init may never reap them.
import { readFileSync, readdirSync } from "node:fs";
import { isProcessAlive } from "../../server/state.ts";
import { waitUntil } from "./wait.ts";

export { isProcessAlive as isAlive };

/** Pids of live (non-zombie) processes whose process group is `pgid` (Linux /proc). */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z" && Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Resolves once none of `pids` is alive; throws naming the survivors after timeoutMs. */
export async function waitAllDead(pids: readonly number[], timeoutMs = 10_000): Promise<void> {
  await waitUntil(() => pids.every((pid) => !isProcessAlive(pid)), {
    timeoutMs,
    message: `processes to exit: ${pids.filter((p) => isProcessAlive(p)).join(", ")}`,
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export async function isPortOpen(port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
