import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createSplitter } from "../../server/logs/splitter.ts";

interface Case {
  title: string;
  input: Buffer;
  expected: string[];
  maxLineBytes?: number;
}

const b = (s: string) => Buffer.from(s, "utf8");

const CASES: Case[] = [
  { title: "\\n ends a line", input: b("a\nbc\n"), expected: ["a", "bc"] },
  { title: "\\r\\n ends a line without its \\r", input: b("a\r\nb\r\n"), expected: ["a", "b"] },
  { title: "empty lines are kept", input: b("\n\r\n\n"), expected: ["", "", ""] },
  { title: "a lone \\r replaces the line in progress", input: b("10%\r20%\r30%\n"), expected: ["30%"] },
  { title: "a trailing lone \\r is flushed by end()", input: b("50%\r100%\r"), expected: ["100%"] },
  { title: "a run of \\r before \\n still ends the line", input: b("a\r\r\nb\n"), expected: ["a", "b"] },
  { title: "a redraw followed by text keeps only the new text", input: b("x\ry"), expected: ["y"] },
  { title: "end() flushes a partial last line", input: b("one\ntwo"), expected: ["one", "two"] },
  { title: "no input gives no line", input: b(""), expected: [] },
  { title: "multibyte characters survive any chunk boundary", input: b("héllo €𝄞\r\nwörld ✓\n日本語"), expected: ["héllo €𝄞", "wörld ✓", "日本語"] },
  { title: "ANSI escapes are kept as written", input: b("\x1b[31mred\x1b[0m\n"), expected: ["\x1b[31mred\x1b[0m"] },
  { title: "invalid UTF-8 becomes U+FFFD", input: Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xc3, 0x28, 0x0a]), expected: ["a\uFFFDb", "\uFFFD("] },
  { title: "a truncated sequence at the end becomes U+FFFD", input: Buffer.from([0x61, 0xe2, 0x82]), expected: ["a\uFFFD"] },
  { title: "a long line is cut at max bytes", input: b("abcdefghij\n"), expected: ["abcdefgh", "ij"], maxLineBytes: 8 },
  { title: "a line of exactly max bytes is not cut", input: b("abcdefgh\nabcdefgh"), expected: ["abcdefgh", "abcdefgh"], maxLineBytes: 8 },
  { title: "a long line is cut on character boundaries", input: b("ééééé\n"), expected: ["éé", "éé", "é"], maxLineBytes: 5 },
  { title: "a cut never splits a 4-byte character", input: b("a𝄞𝄞\n"), expected: ["a", "𝄞", "𝄞"], maxLineBytes: 4 },
  { title: "an overflowed piece stays emitted when a redraw drops the rest", input: b("abcdef\rxy\n"), expected: ["abcd", "xy"], maxLineBytes: 4 },
  { title: "a long \\r\\n line is cut like a \\n line", input: b("abcdefghi\r\n"), expected: ["abcd", "efgh", "i"], maxLineBytes: 4 },
];

function run(chunks: Buffer[], maxLineBytes = 16384): string[] {
  const lines: string[] = [];
  const splitter = createSplitter((text) => lines.push(text), { maxLineBytes });
  for (const chunk of chunks) splitter.write(chunk);
  splitter.end();
  return lines;
}

for (const c of CASES) {
  test(`splitter: ${c.title}, whatever the chunk boundaries`, () => {
    const { input, expected, maxLineBytes } = c;
    assert.deepEqual(run([input], maxLineBytes), expected, "one chunk");
    assert.deepEqual(run([...input].map((byte) => Buffer.from([byte])), maxLineBytes), expected, "byte by byte");
    for (let i = 0; i <= input.length; i++) {
      for (let j = i; j <= input.length; j++) {
        const chunks = [input.subarray(0, i), input.subarray(i, j), input.subarray(j)];
        assert.deepEqual(run(chunks, maxLineBytes), expected, `chunks cut at ${i} and ${j}`);
      }
    }
  });
}

test("splitter: lines are delivered as they complete, before end()", () => {
  const lines: string[] = [];
  const splitter = createSplitter((text) => lines.push(text), { maxLineBytes: 100 });
  splitter.write(b("a\nb"));
  assert.deepEqual(lines, ["a"]);
  splitter.write(b("c\r"));
  assert.deepEqual(lines, ["a"], "a pending \\r waits for the next byte");
  splitter.write(b("\n"));
  assert.deepEqual(lines, ["a", "bc"]);
});

test("splitter: a 50 MB line without a newline is delivered whole, in pieces of at most max bytes cut on characters", () => {
  const maxLineBytes = 16384;
  const pattern = b("ascii é € 𝄞 日本 ");
  const total = 50 * 1024 * 1024;
  const input = Buffer.alloc(total, pattern);
  let offset = 0;
  let pieces = 0;
  const splitter = createSplitter((text) => {
    const bytes = Buffer.from(text, "utf8");
    assert.ok(bytes.length <= maxLineBytes, `piece ${pieces} has ${bytes.length} bytes`);
    assert.ok(!text.includes("\uFFFD"), `piece ${pieces} splits a character`);
    assert.equal(Buffer.compare(bytes, input.subarray(offset, offset + bytes.length)), 0, `piece ${pieces} differs from the input`);
    offset += bytes.length;
    pieces++;
  }, { maxLineBytes });
  // Input cut at the pattern's last character so the final piece decodes cleanly.
  const end = total - (total % pattern.length);
  const chunkBytes = 65_537; // odd size: chunk boundaries fall inside characters
  for (let pos = 0; pos < end; pos += chunkBytes) {
    const stop = Math.min(end, pos + chunkBytes);
    splitter.write(input.subarray(pos, stop));
    // Memory stays bounded: at most one piece's worth of bytes is held back at any time.
    assert.ok(stop - offset <= maxLineBytes, `${stop - offset} bytes held back after ${stop}`);
  }
  splitter.end();
  assert.equal(offset, end, "every byte was delivered");
});

test("splitter: binary garbage in random chunks never throws and keeps lines bounded", () => {
  const maxLineBytes = 300;
  const input = randomBytes(1024 * 1024);
  let count = 0;
  const splitter = createSplitter((text) => {
    // U+FFFD (3 bytes) may stand for 1 invalid byte: bound by characters, each from at most 4 bytes.
    assert.ok(text.length <= maxLineBytes, `line of ${text.length} chars`);
    count++;
  }, { maxLineBytes });
  let pos = 0;
  while (pos < input.length) {
    const size = 1 + (input[pos] ?? 0) * 7;
    splitter.write(input.subarray(pos, pos + size));
    pos += size;
  }
  splitter.end();
  assert.ok(count > 0);
});
