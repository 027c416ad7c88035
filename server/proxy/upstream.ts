// Which loopback address each service answers on. Dev servers bound to "localhost" may take ::1 only
// (Node ≥ 17 and Vite keep the resolver's order), so 127.0.0.1 alone would miss them.
import { connect } from "node:net";

const PROBE_TIMEOUT_MS = 2_000;

export type LoopbackAddress = "127.0.0.1" | "::1";

/** Per-service upstream address, learnt from refusals. */
export interface Upstreams {
  address(service: string): LoopbackAddress;
  /**
   * The service refused a connection on its current address: probe the other one in the background
   * and switch when it answers. The current request still gets the 503 page, which reloads itself.
   */
  refused(service: string, port: number): void;
}

/** Remembers, per service, the address that last answered (127.0.0.1 until proven otherwise). */
export function createUpstreams(): Upstreams {
  const chosen = new Map<string, LoopbackAddress>();
  const probing = new Set<string>();
  const address = (service: string): LoopbackAddress => chosen.get(service) ?? "127.0.0.1";
  return {
    address,
    refused(service, port) {
      if (probing.has(service)) return;
      probing.add(service);
      const other: LoopbackAddress = address(service) === "127.0.0.1" ? "::1" : "127.0.0.1";
      void accepts(other, port).then((ok) => {
        probing.delete(service);
        if (ok) chosen.set(service, other);
      });
    },
  };
}

/** Whether something accepts a TCP connection on host:port. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("error", () => resolve(false));
    // A full accept queue leaves the SYN unanswered: give up rather than wait forever.
    socket.setTimeout(PROBE_TIMEOUT_MS, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
  });
}
