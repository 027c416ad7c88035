// Cuts a line's styled segments at search matches and URLs: what LogRow renders, as plain data.
import type { Segment } from "./ansi.ts";

export interface Piece {
  text: string;
  style: Record<string, string> | null;
  isMatch: boolean;
  /** The URL this piece belongs to (http/https only), or null. */
  href: string | null;
}

type Range = [number, number];

// Trailing punctuation usually ends the sentence, not the URL ("see http://x/.").
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/g;
const TRAILING = /[.,;:!?)\]}]+$/;

/** [start, end) ranges and targets of http(s) URLs in `text`. */
export function findUrls(text: string): Array<{ range: Range; href: string }> {
  const found: Array<{ range: Range; href: string }> = [];
  for (const m of text.matchAll(URL_PATTERN)) {
    const href = m[0].replace(TRAILING, "");
    if (href.length > "https://".length) found.push({ range: [m.index, m.index + href.length], href });
  }
  return found;
}

function cutPoints(start: number, end: number, ranges: readonly Range[], into: Set<number>): void {
  for (const [from, to] of ranges) {
    if (from > start && from < end) into.add(from);
    if (to > start && to < end) into.add(to);
  }
}

function covering<T extends { range: Range }>(items: readonly T[], at: number): T | undefined {
  return items.find((item) => item.range[0] <= at && at < item.range[1]);
}

/** Segments split so each piece is wholly inside or outside every match and URL. */
export function toPieces(segments: readonly Segment[], matches: readonly Range[]): Piece[] {
  const text = segments.map((s) => s.text).join("");
  const urls = findUrls(text);
  if (matches.length === 0 && urls.length === 0) {
    return segments.map((s) => ({ text: s.text, style: s.style, isMatch: false, href: null }));
  }
  const marks = matches.map((range) => ({ range }));
  const pieces: Piece[] = [];
  let offset = 0;
  for (const segment of segments) {
    const end = offset + segment.text.length;
    const points = new Set<number>([offset, end]);
    cutPoints(offset, end, matches, points);
    cutPoints(offset, end, urls.map((u) => u.range), points);
    const sorted = [...points].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const from = sorted[i] ?? 0;
      const to = sorted[i + 1] ?? 0;
      pieces.push({
        text: segment.text.slice(from - offset, to - offset),
        style: segment.style,
        isMatch: covering(marks, from) !== undefined,
        href: covering(urls, from)?.href ?? null,
      });
    }
    offset = end;
  }
  return pieces;
}
