import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errors } from "../../server/errors.ts";
import { ROOT } from "../helpers/console.ts";

test("every error code of the catalogue is documented in the README", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const missing = Object.keys(errors).filter((code) => !readme.includes(`\`${code}\``));
  assert.deepEqual(missing, []);
});

test("each error factory carries its own code and status", () => {
  for (const [code, make] of Object.entries(errors)) {
    const err = make("x", "y");
    assert.equal(err.code, code);
    assert.equal(err.statusCode, make.statusCode);
  }
});
