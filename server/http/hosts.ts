// Host names and addresses: what a Host header names, and which addresses are loopback (SPEC.md, Security).
import { isIP } from "node:net";

/** Host name of a Host header without its port, lower-case: `[::1]:7007` → `[::1]`. */
export function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  const colon = lower.indexOf(":");
  return colon === -1 ? lower : lower.slice(0, colon);
}

/** Whether `host` (an address to listen on, IPv6 bracketed or not) is loopback, where no token is needed. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare.startsWith("::ffff:127.");
}

/** The names a Host header gives `address` (an address to listen on): as written, and as a browser writes it. */
export function hostHeaderNames(address: string): string[] {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  const written = isIP(bare) === 6 ? `[${bare}]` : bare;
  try {
    // WHATWG URL serialises a host the way browsers send it: [0:0:0:0:0:0:0:1] → [::1].
    return [...new Set([written, new URL(`http://${written}/`).hostname])];
  } catch {
    return [written];
  }
}
