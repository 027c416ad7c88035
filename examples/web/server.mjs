// A tiny dev server: logs each request; GET /crash makes it crash, to try devdeck's restart button.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 4100);
const green = (s) => `\x1b[32m${s}\x1b[0m`;
const dim = (s) => `\x1b[2m${s}\x1b[0m`;

const server = createServer((req, res) => {
  const started = Date.now();
  if (req.url === "/crash") {
    res.end("crashing…\n");
    console.error(new Error("demo crash requested via /crash").stack);
    setImmediate(() => process.exit(1));
    return;
  }
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.end(`<h1>${process.env.GREETING ?? "hello"}</h1><p><a href="/crash">crash this server</a></p>\n`);
  console.log(`${green(req.method)} ${req.url} ${res.statusCode} ${dim(`${Date.now() - started} ms`)}`);
});

server.listen(port, () => {
  console.log(`  ${green("➜")}  Local:   http://localhost:${port}/`);
  console.log(dim("  ready in 12 ms (visit /crash to make this server crash)"));
});
