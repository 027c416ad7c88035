// Host header → service: the proxy's routing and its guard against DNS rebinding (SPEC.md, Security).
import type { ServiceSpec } from "../config/types.ts";

/** The parts of a Host header: lower-case name without a trailing dot, and the port if any. */
export function parseHost(host: string | undefined): { name: string; port: number | null } | null {
  if (!host) return null;
  // An IP literal ([::1]:7000, 127.0.0.1) names no service, and a bracket has no place in a label.
  const m = /^([^:[\]]+?)\.?(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  if (!m || m[1] === undefined) return null;
  return { name: m[1], port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * The configured service with a port that `host` names as NAME.localhost or NAME.ALLOWED (a name of
 * console.allowed_hosts), or null: any other Host is refused, so a rebound DNS name reaches nothing.
 */
export function serviceForHost(
  host: string | undefined,
  services: readonly ServiceSpec[],
  allowedHosts: readonly string[],
): ServiceSpec | null {
  const parsed = parseHost(host);
  if (!parsed) return null;
  for (const suffix of ["localhost", ...allowedHosts.map((h) => h.toLowerCase().replace(/^\.+|\.+$/g, ""))]) {
    if (!suffix || !parsed.name.endsWith(`.${suffix}`)) continue;
    const label = parsed.name.slice(0, -suffix.length - 1);
    const service = services.find((s) => s.name.toLowerCase() === label && s.port !== null);
    if (service) return service;
  }
  return null;
}
