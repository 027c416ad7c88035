// The proxy's token check, as the console's (SPEC.md, Security): ?token= → cookie + redirect, cookie, Bearer.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export type ProxyAuth =
  | { kind: "ok" }
  | { kind: "denied" }
  /** A page load with the right ?token=: set the cookie and load the URL without it. */
  | { kind: "redirect"; location: string; setCookie: string };

/** The cookie holding the token for the proxy on `port`: one per port, as the console's. */
export function proxyCookieName(port: number): string {
  return `devdeck_proxy_token_${port}`;
}

/** Compares in constant time: both sides hashed first, so lengths never differ. */
export function isSameToken(given: string, token: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** Whether `req` carries `token`, or the redirect that stores it in a cookie. */
export function checkProxyToken(req: IncomingMessage, token: string, cookieName: string, isUpgrade: boolean): ProxyAuth {
  const url = new URL(req.url ?? "/", "http://proxy.invalid");
  const fromQuery = url.searchParams.get("token");
  // Only a page load can be redirected; an upgrade or a POST must bring the cookie or the header.
  if (fromQuery !== null && !isUpgrade && (req.method === "GET" || req.method === "HEAD")) {
    if (!isSameToken(fromQuery, token)) return { kind: "denied" };
    url.searchParams.delete("token");
    // Lax, not Strict: the console links to NAME.localhost, another site, and that first load must carry it.
    const setCookie = `${cookieName}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax`;
    return { kind: "redirect", location: `${url.pathname}${url.search}`, setCookie };
  }
  const cookie = readCookie(req.headers.cookie, cookieName);
  if (cookie !== null && isSameToken(cookie, token)) return { kind: "ok" };
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (bearer !== undefined && isSameToken(bearer, token)) return { kind: "ok" };
  return { kind: "denied" };
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Removes devdeck's own credentials before the request reaches the dev server, which may log them. */
export function stripProxyCredentials(req: IncomingMessage, token: string, cookieName: string): void {
  const cookies = (req.headers.cookie ?? "")
    .split(";")
    .filter((part) => part.trim() !== "" && part.slice(0, part.indexOf("=")).trim() !== cookieName);
  if (cookies.length > 0) req.headers.cookie = cookies.join(";").trim();
  else delete req.headers.cookie;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (bearer !== undefined && isSameToken(bearer, token)) delete req.headers.authorization;
}
