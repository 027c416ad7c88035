// The built UI, and nothing outside its folder, with CSP and cache headers (SPEC.md, Security).
import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

export interface StaticOptions {
  /** Folder of the built UI (dist/client). */
  uiDir: string;
}

/** Forbids inline script and every foreign source; inline styles stay for the virtual list's sizing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
const HASHED_ASSETS_DIR = "assets";

const MISSING_UI_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>devdeck: UI not built</title></head>
<body><h1>The devdeck UI is not built</h1>
<p>Run <code>npm run build</code> in the devdeck folder, then reload this page.
The API (<code>/api/services</code>) and the WebSocket channels work meanwhile.</p></body></html>
`;

/** Registers the UI files (or a 503 page saying to build them) with security headers. */
export async function staticFiles(app: FastifyInstance, opts: StaticOptions): Promise<void> {
  app.addHook("onSend", async (_req, reply) => {
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
  });
  if (!existsSync(join(opts.uiDir, "index.html"))) {
    const missing = async (_req: unknown, reply: FastifyReply) =>
      reply.code(503).header("cache-control", "no-cache").type("text/html; charset=utf-8").send(MISSING_UI_PAGE);
    app.get("/", missing);
    app.get("/index.html", missing);
    return;
  }
  await app.register(fastifyStatic, {
    root: opts.uiDir,
    prefix: "/",
    wildcard: true,
    index: ["index.html"],
    dotfiles: "ignore",
    serveDotFiles: false,
    list: false,
    redirect: false,
    cacheControl: false,
    etag: true,
    lastModified: true,
    // Belt and braces: @fastify/send already refuses `..`; this keeps every served path inside uiDir.
    allowedPath: (pathName) => !pathName.split("/").includes(".."),
    setHeaders: (res, path) => res.setHeader("cache-control", cacheControlFor(relative(opts.uiDir, path))),
  });
}

// Vite puts content-hashed names under assets/: they never change, so cache them for a year;
// everything else (index.html above all) is revalidated on each load.
function cacheControlFor(rel: string): string {
  const isHashedAsset = rel.startsWith(HASHED_ASSETS_DIR + sep) && !rel.endsWith(".html");
  return isHashedAsset ? IMMUTABLE_CACHE : "no-cache";
}
