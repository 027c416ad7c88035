import { test } from "node:test";
import assert from "node:assert/strict";
import { compileWatchPatterns } from "../../server/watch/patterns.ts";

const PY = ["src/**/*.py", "!**/__pycache__/**"];

const MATCH_CASES: Array<{ title: string; patterns: string[]; path: string; expected: boolean }> = [
  { title: "a file under the pattern's folder matches", patterns: PY, path: "src/app.py", expected: true },
  { title: "a nested file matches through **", patterns: PY, path: "src/pkg/mod/util.py", expected: true },
  { title: "another extension does not match", patterns: PY, path: "src/app.pyc", expected: false },
  { title: "a file outside the pattern's folder does not match", patterns: PY, path: "tests/app.py", expected: false },
  { title: "a negated pattern excludes what a plain one includes", patterns: PY, path: "src/__pycache__/app.py", expected: false },
  { title: "negation does not depend on pattern order", patterns: ["!**/gen/**", "**/*.ts"], path: "a/gen/x.ts", expected: false },
  { title: "a leading ./ is the cwd", patterns: ["./src/*.ts"], path: "src/a.ts", expected: true },
  { title: "node_modules is ignored even when ** reaches it", patterns: ["**/*.js"], path: "node_modules/pkg/index.js", expected: false },
  { title: "a nested node_modules is ignored too", patterns: ["**/*.js"], path: "app/node_modules/pkg/index.js", expected: false },
  { title: ".git is ignored", patterns: ["**"], path: ".git/HEAD", expected: false },
  { title: "a pattern naming node_modules watches inside it", patterns: ["node_modules/lib/*.js"], path: "node_modules/lib/a.js", expected: true },
  { title: "a pattern naming .git watches inside it", patterns: [".git/HEAD"], path: ".git/HEAD", expected: true },
  { title: "** does not reach into dot-folders", patterns: ["**/*.py"], path: ".venv/lib/site.py", expected: false },
  { title: "only negations mean everything else", patterns: ["!*.log"], path: "src/a.ts", expected: true },
  { title: "only negations still exclude", patterns: ["!*.log"], path: "server.log", expected: false },
  { title: "braces expand", patterns: ["{src,lib}/**/*.rb"], path: "lib/a/b.rb", expected: true },
];

for (const c of MATCH_CASES) {
  test(`watch patterns: ${c.title}`, () => {
    assert.equal(compileWatchPatterns(c.patterns).matches(c.path), c.expected);
  });
}

const PRUNE_CASES: Array<{ title: string; patterns: string[]; dir: string; expected: boolean }> = [
  { title: "the pattern's base folder is entered", patterns: PY, dir: "src", expected: false },
  { title: "folders under ** are entered", patterns: PY, dir: "src/a/b/c", expected: false },
  { title: "a folder no pattern can reach is pruned", patterns: PY, dir: "docs", expected: true },
  { title: "node_modules is pruned", patterns: ["**/*.js"], dir: "node_modules", expected: true },
  { title: "a nested node_modules is pruned", patterns: ["**/*.js"], dir: "packages/a/node_modules", expected: true },
  { title: ".git is pruned", patterns: ["**"], dir: ".git", expected: true },
  { title: "node_modules is entered when a pattern names it", patterns: ["node_modules/lib/*.js"], dir: "node_modules", expected: false },
  { title: "…but only towards what the pattern names", patterns: ["node_modules/lib/*.js"], dir: "node_modules/other", expected: true },
  { title: "a folder excluded by a negated /** is pruned", patterns: PY, dir: "src/pkg/__pycache__", expected: true },
  { title: "dot-folders are pruned for **", patterns: ["**/*.py"], dir: ".venv", expected: true },
  { title: "a single-segment glob reaches no subfolder", patterns: ["*.py"], dir: "src", expected: true },
  { title: "a segment glob enters the folders it matches", patterns: ["app-*/**/*.go"], dir: "app-web/internal", expected: false },
  { title: "a segment glob prunes the folders it does not match", patterns: ["app-*/**/*.go"], dir: "lib", expected: true },
  { title: "a brace holding a / is not pruned against", patterns: ["{a/b,c}/*.ts"], dir: "a", expected: false },
  { title: "the cwd itself is never pruned", patterns: PY, dir: "", expected: false },
];

for (const c of PRUNE_CASES) {
  test(`watch patterns: ${c.title}`, () => {
    assert.equal(compileWatchPatterns(c.patterns).isPrunedDir(c.dir), c.expected);
  });
}

test("watch patterns: a pattern that leaves the cwd is refused with DD_ERR_CONFIG_INVALID", () => {
  for (const bad of ["../shared/*.ts", "/etc/*.conf", "!a/../../b", ""]) {
    assert.throws(() => compileWatchPatterns([bad]), { code: "DD_ERR_CONFIG_INVALID", message: /watch pattern/ }, bad);
  }
});
