import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogLine, LogStream } from "../../shared/service.ts";
import { encodeLines, encodeMessage, LINE_OVERHEAD_BYTES } from "../../server/http/encode.ts";

const TIME = 1_795_642_430_500;

function line(seq: number, text: string, stream: LogStream = "stdout", time = TIME): LogLine {
  return { seq, time, stream, text };
}

// What the protocol is defined by: JSON.stringify of the message, as UTF-8.
function expected(service: string, lines: readonly LogLine[]): Buffer {
  return Buffer.from(JSON.stringify({ type: "lines", service, lines }));
}

const TEXTS: Array<[string, string]> = [
  ["plain ASCII", "GET /api/items 200 12ms"],
  ["empty", ""],
  ["double quotes", 'he said "hi"'],
  ["backslashes", "C:\\path\\to\\file \\n not a newline"],
  ["tab and bell", "a\tb\u0007c"],
  ["ANSI colours", "\u001b[1;31merror\u001b[0m: failed"],
  ["NUL and DEL", "a\u0000b\u007fc"],
  ["Latin-1", "café crème à la mode"],
  ["CJK", "日本語のログ行"],
  ["emoji (surrogate pair)", "deploy done 🎉🚀"],
  ["U+FFFD from invalid UTF-8", "bad \ufffd byte"],
  ["lone high surrogate", "half \ud83d pair"],
  ["lone low surrogate", "\ude00 at start"],
  ["U+FEFF and U+F8FF (0xEF lead bytes)", "\ufeffbom \uf8ff"],
  ["U+2028 and U+2029", "line\u2028sep\u2029para"],
  ["a 16 KB line", "x".repeat(16_384)],
  ["a 16 KB line of control characters", "\u0001".repeat(16_384)],
];

for (const [what, text] of TEXTS) {
  test(`encodeLines writes the same bytes as JSON.stringify: ${what}`, () => {
    const lines = [line(1, text), line(2, `${text}!`, "stderr"), line(3, text, "system", TIME + 1)];
    const { bytes, count } = encodeLines("web", lines);
    assert.equal(count, 3);
    assert.deepEqual(bytes, expected("web", lines));
  });
}

test("encodeLines writes seqs, times and service names exactly as JSON.stringify does", () => {
  const lines = [line(0, "zero", "stdout", 0), line(9, "nine", "stdout", 1.5), line(10, "ten"), line(2 ** 40 + 7, "big", "stdout", Number.MAX_SAFE_INTEGER), line(2 ** 53 + 2, "unsafe", "stdout", -3)];
  for (const service of ["api", 'we"ird\\name', "ünï", "*"]) {
    assert.deepEqual(encodeLines(service, lines).bytes, expected(service, lines));
  }
});

test("encodeLines stops before the line that would cross maxBytes, and always takes the first line", () => {
  const lines = Array.from({ length: 100 }, (_, i) => line(i + 1, "y".repeat(100)));
  const { bytes, count } = encodeLines("web", lines, 2_000);
  assert.ok(count > 1 && count < 100, `${count} lines`);
  assert.ok(bytes.length <= 2_000, `${bytes.length} bytes`);
  assert.deepEqual(bytes, expected("web", lines.slice(0, count)));
  const next = encodeLines("web", lines.slice(count - 1), 2_000);
  assert.equal(next.count, count, "the same cut from any starting line of the same length");

  const huge = [line(1, "z".repeat(10_000)), line(2, "after")];
  const alone = encodeLines("web", huge, 1_000);
  assert.equal(alone.count, 1);
  assert.deepEqual(alone.bytes, expected("web", huge.slice(0, 1)));
  assert.ok(LINE_OVERHEAD_BYTES >= Buffer.byteLength(',{"seq":9007199254740991,"time":9007199254740991,"stream":"stdout","text":""}'));
});

test("encodeLines grows past its scratch space for batches of megabytes, plain and escaped", () => {
  const lines = Array.from({ length: 300 }, (_, i) => line(i + 1, i % 2 === 0 ? "p".repeat(16_000) : "\u001b".repeat(16_000)));
  const { bytes, count } = encodeLines("web", lines);
  assert.equal(count, 300);
  assert.ok(bytes.length > 10 * 2 ** 20);
  assert.deepEqual(bytes, expected("web", lines));
  // The next, small message is not polluted by what the big one left in the scratch space.
  assert.deepEqual(encodeLines("web", [line(301, "small")]).bytes, expected("web", [line(301, "small")]));
});

test("encodeMessage is JSON.stringify as UTF-8 for gap, live and reset", () => {
  for (const msg of [{ type: "gap", service: "web", from: 3, to: 9 }, { type: "live", service: "wéb" }, { type: "reset", instance: "abc" }] as const) {
    assert.deepEqual(encodeMessage(msg), Buffer.from(JSON.stringify(msg)));
  }
});
