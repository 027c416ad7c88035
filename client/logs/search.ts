// Search input → Empty | Parsed{regexp} | Error{message}; match ranges within one line's plain text.

export type Search =
  | { kind: "empty" }
  | { kind: "parsed"; regexp: RegExp }
  | { kind: "error"; message: string };

/** Longest input compiled: a pathological pattern should not stall every frame. */
export const MAX_SEARCH_CHARS = 500;

/**
 * Plain text is matched literally, a regex as written. Case is ignored unless the input has an
 * upper-case letter ("smart case", as in less and ripgrep).
 */
export function parseSearch(input: string, isRegex: boolean): Search {
  if (input === "") return { kind: "empty" };
  if (input.length > MAX_SEARCH_CHARS) return { kind: "error", message: `longer than ${MAX_SEARCH_CHARS} characters` };
  const flags = /\p{Lu}/u.test(input) ? "gu" : "giu";
  const source = isRegex ? input : input.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  try {
    const regexp = new RegExp(source, flags);
    // A pattern matching the empty string would mark every line and loop forever in matchRanges.
    if (regexp.test("")) return { kind: "error", message: "matches empty text" };
    return { kind: "parsed", regexp };
  } catch (err) {
    return { kind: "error", message: err instanceof SyntaxError ? err.message.replace(/^Invalid regular expression: /, "") : String(err) };
  }
}

/** Whether `text` contains a match (the regexp's lastIndex is left at 0). */
export function isMatch(regexp: RegExp, text: string): boolean {
  regexp.lastIndex = 0;
  const found = regexp.test(text);
  regexp.lastIndex = 0;
  return found;
}

/** [start, end) ranges of every match in `text`, in order. */
export function matchRanges(regexp: RegExp, text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  regexp.lastIndex = 0;
  for (let m = regexp.exec(text); m !== null; m = regexp.exec(text)) {
    if (m[0] === "") {
      regexp.lastIndex++;
      continue;
    }
    ranges.push([m.index, m.index + m[0].length]);
  }
  regexp.lastIndex = 0;
  return ranges;
}
