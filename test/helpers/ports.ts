// Ports for tests: never a fixed number (another test or program may hold it).
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";

/** A port nobody listens on: bound to 0 on 127.0.0.1 by us, then released. */
export async function releasedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
