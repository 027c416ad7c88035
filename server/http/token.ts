// The token rules the console (http/guard.ts) and the proxy (proxy/auth.ts) share (SPEC.md, Security):
// one parser per credential, one constant-time compare, one redirect that drops `?token=`.
import { createHash, timingSafeEqual } from "node:crypto";

// Only the path and query of a raw request target matter here; this origin is never shown.
const PARSE_BASE = "http://devdeck.invalid";

/** The value of cookie `name` in a Cookie header, URI-decoded; undefined when absent or malformed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The TOKEN of an `Authorization: Bearer TOKEN` header (scheme in any case), or undefined. */
export function readBearer(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Whether `given` is `token`, in constant time: both sides hashed first, so lengths never differ. */
export function isSameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/** A check of candidates against `token` that hashes the token once; undefined (no credential) is false. */
export function createTokenCheck(token: string): (candidate: string | undefined) => boolean {
  const expected = digest(token);
  return (candidate) => candidate !== undefined && timingSafeEqual(digest(candidate), expected);
}

// Appended, not resolved against a base: `//evil.example/x` is a path here, not an authority. Null for a
// target no URL can hold (`//[x`), which must be refused, not thrown out of a request handler.
function parseTarget(rawUrl: string): URL | null {
  try {
    return new URL(`${PARSE_BASE}${rawUrl}`);
  } catch {
    return null;
  }
}

/** The `token` query parameter of a raw request target, or null. */
export function readQueryToken(rawUrl: string): string | null {
  return parseTarget(rawUrl)?.searchParams.get("token") ?? null;
}

/**
 * Where a page load that carried `?token=` is sent once the cookie is set: its path and other parameters,
 * always on this origin. A path that starts with `//` (from `/.//evil.example/x`, `//evil.example/x` or
 * `/\evil.example`) would be read by a browser as another host (an open redirect): one leading slash only.
 */
export function locationWithoutToken(rawUrl: string): string {
  const url = parseTarget(rawUrl);
  if (url === null) return "/";
  url.searchParams.delete("token");
  return `/${url.pathname.replace(/^\/+/, "")}${url.search}`;
}
