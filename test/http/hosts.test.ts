// Host names: what a Host header names, and the names a listen address is reached by.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostHeaderNames, hostName } from "../../server/http/hosts.ts";

test("a Host header's name drops the port and the case, and keeps IPv6 brackets", () => {
  const cases: Array<[string, string]> = [
    ["localhost:7007", "localhost"],
    ["DevBox.Local", "devbox.local"],
    ["127.0.0.2:80", "127.0.0.2"],
    ["[::1]:7007", "[::1]"],
    ["[::1]", "[::1]"],
  ];
  for (const [header, name] of cases) assert.equal(hostName(header), name, header);
});

test("a listen address is named as written and as a browser writes it", () => {
  assert.deepEqual(hostHeaderNames("127.0.0.2"), ["127.0.0.2"]);
  assert.deepEqual(hostHeaderNames("::1"), ["[::1]"]);
  assert.deepEqual(hostHeaderNames("[::1]"), ["[::1]"]);
  assert.deepEqual(hostHeaderNames("0:0:0:0:0:0:0:1"), ["[0:0:0:0:0:0:0:1]", "[::1]"]);
  assert.deepEqual(hostHeaderNames("LocalHost"), ["localhost"]);
});
