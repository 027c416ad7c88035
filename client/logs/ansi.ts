// Wraps anser: ANSI text → styled segments (plain data, rendered as text nodes, never as HTML).
import Anser from "anser";

/** A run of text with one style; `style` holds CSS properties for an inline style object. */
export interface Segment {
  text: string;
  style: Record<string, string> | null;
}

// anser handles SGR (colours, styles) and drops cursor moves; OSC strings (hyperlinks `ESC]8;;url BEL`,
// window titles) it leaves in the text, so they go first. Then stray control characters, which would
// otherwise show as boxes. Tab stays.
// eslint-disable-next-line no-control-regex -- ESC and BEL delimit OSC strings
const OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const ANSER_OPTIONS = { json: true, remove_empty: true, use_classes: false } as const;

// The 16 standard colours follow the page's theme (CSS variables in styles.css): "white" text is
// invisible on a light page and "blue" unreadable on a dark one. 256-colour and truecolour values stay as
// the program chose them. Keys are anser's palette values.
const THEMED_COLORS: Readonly<Record<string, string>> = {
  "0, 0, 0": "var(--ansi-0)",
  "187, 0, 0": "var(--ansi-1)",
  "0, 187, 0": "var(--ansi-2)",
  "187, 187, 0": "var(--ansi-3)",
  "0, 0, 187": "var(--ansi-4)",
  "187, 0, 187": "var(--ansi-5)",
  "0, 187, 187": "var(--ansi-6)",
  "255,255,255": "var(--ansi-7)",
  "85, 85, 85": "var(--ansi-8)",
  "255, 85, 85": "var(--ansi-9)",
  "0, 255, 0": "var(--ansi-10)",
  "255, 255, 85": "var(--ansi-11)",
  "85, 85, 255": "var(--ansi-12)",
  "255, 85, 255": "var(--ansi-13)",
  "85, 255, 255": "var(--ansi-14)",
  "255, 255, 255": "var(--ansi-15)",
};

function colorOf(value: string): string {
  return THEMED_COLORS[value] ?? `rgb(${value})`;
}

function hasEscape(text: string): boolean {
  return text.includes("\u001b");
}

function styleOf(entry: Anser.AnserJsonEntry): Record<string, string> | null {
  const style: Record<string, string> = {};
  // anser gives "r, g, b" strings; a truecolour value sits in fg/bg too.
  if (entry.fg) style["color"] = colorOf(entry.fg);
  if (entry.bg) style["background-color"] = colorOf(entry.bg);
  const lines: string[] = [];
  for (const decoration of entry.decorations ?? []) {
    if (decoration === "bold") style["font-weight"] = "bold";
    else if (decoration === "dim") style["opacity"] = "0.6";
    else if (decoration === "italic") style["font-style"] = "italic";
    else if (decoration === "hidden") style["visibility"] = "hidden";
    else if (decoration === "underline") lines.push("underline");
    else if (decoration === "strikethrough") lines.push("line-through");
  }
  if (lines.length > 0) style["text-decoration"] = lines.join(" ");
  return Object.keys(style).length > 0 ? style : null;
}

/** Styled segments of one log line; their texts joined equal plainText(text). */
export function toSegments(text: string): Segment[] {
  if (!hasEscape(text)) return [{ text: text.replace(CONTROL, ""), style: null }];
  const segments: Segment[] = [];
  for (const entry of Anser.ansiToJson(text.replace(OSC, ""), ANSER_OPTIONS)) {
    const content = entry.content.replace(CONTROL, "");
    if (content !== "") segments.push({ text: content, style: styleOf(entry) });
  }
  return segments;
}

/** The line as a person reads it: no escapes, no control characters. */
export function plainText(text: string): string {
  if (!hasEscape(text)) return text.replace(CONTROL, "");
  return Anser.ansiToText(text.replace(OSC, "")).replace(CONTROL, "");
}
