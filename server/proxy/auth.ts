// The proxy's token check, as the console's (SPEC.md, Security): ?token= → cookie + redirect, cookie, Bearer.
import type { IncomingMessage } from "node:http";
import { isSameToken, locationWithoutToken, readBearer, readCookie, readQueryToken } from "../http/token.ts";

export type ProxyAuth =
  | { kind: "ok" }
  | { kind: "denied" }
  /** A page load with the right ?token=: set the cookie and load the URL without it. */
  | { kind: "redirect"; location: string; setCookie: string };

/** The cookie holding the token for the proxy on `port`: one per port, as the console's. */
export function proxyCookieName(port: number): string {
  return `devdeck_proxy_token_${port}`;
}

/** Whether `req` carries `token`, or the redirect that stores it in a cookie. */
export function checkProxyToken(req: IncomingMessage, token: string, cookieName: string, isUpgrade: boolean): ProxyAuth {
  const fromQuery = readQueryToken(req.url ?? "/");
  // Only a page load can be redirected; an upgrade or a POST must bring the cookie or the header.
  if (fromQuery !== null && !isUpgrade && (req.method === "GET" || req.method === "HEAD")) {
    if (!isSameToken(fromQuery, token)) return { kind: "denied" };
    // Lax, not Strict: the console links to NAME.localhost, another site, and that first load must carry it.
    const setCookie = `${cookieName}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax`;
    return { kind: "redirect", location: locationWithoutToken(req.url ?? "/"), setCookie };
  }
  const cookie = readCookie(req.headers.cookie, cookieName);
  if (cookie !== undefined && isSameToken(cookie, token)) return { kind: "ok" };
  const bearer = readBearer(req.headers.authorization);
  if (bearer !== undefined && isSameToken(bearer, token)) return { kind: "ok" };
  return { kind: "denied" };
}

/** Removes devdeck's own credentials before the request reaches the dev server, which may log them. */
export function stripProxyCredentials(req: IncomingMessage, token: string, cookieName: string): void {
  const cookies = (req.headers.cookie ?? "")
    .split(";")
    .filter((part) => part.trim() !== "" && part.slice(0, part.indexOf("=")).trim() !== cookieName);
  if (cookies.length > 0) req.headers.cookie = cookies.join(";").trim();
  else delete req.headers.cookie;
  const bearer = readBearer(req.headers.authorization);
  if (bearer !== undefined && isSameToken(bearer, token)) delete req.headers.authorization;
}
