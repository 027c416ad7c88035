// Stands in for a database: takes a moment to boot, then accepts TCP connections on PORT.
import { createServer } from "node:net";

const port = Number(process.env.PORT ?? 4200);
console.log("db: replaying the write-ahead log…");
setTimeout(() => {
  createServer((socket) => socket.end("ok\n")).listen(port, "127.0.0.1", () => {
    console.log(`db: \x1b[32mready to accept connections\x1b[0m on 127.0.0.1:${port}`);
  });
}, 800);
