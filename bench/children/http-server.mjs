// Bench child: a small HTTP server on $PORT answering every request with its pid; prints "listening".
import { createServer } from "node:http";

const server = createServer((_req, res) => res.end(String(process.pid)));
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("listening\n"));
