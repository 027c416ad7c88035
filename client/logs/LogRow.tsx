// One row of the log: time, service name, ANSI segments as text nodes (never HTML), links, matches.
import type { JSX } from "preact";
import type { LineEntry, LogEntry } from "../models/line-buffer.ts";
import { plainText, toSegments, type Segment } from "./ansi.ts";
import { toPieces, type Piece } from "./pieces.ts";
import { matchRanges } from "./search.ts";

export interface LogRowProps {
  entry: LogEntry;
  /** Absolute index in the view's buffer (selection, copy). */
  abs: number;
  topPx: number;
  showService: boolean;
  showTime: boolean;
  regexp: RegExp | null;
  isSelected: boolean;
  isCurrentMatch: boolean;
}

// Parsing ANSI once per line, not once per frame it stays visible; entries going away free their cache.
const segmentCache = new WeakMap<LineEntry, Segment[]>();

function segmentsOf(entry: LineEntry): Segment[] {
  let segments = segmentCache.get(entry);
  if (!segments) {
    segments = toSegments(entry.text);
    segmentCache.set(entry, segments);
  }
  return segments;
}

/** The text of a line as matched by search and copied: no escapes. Cached on the entry. */
export function linePlain(entry: LineEntry): string {
  entry.plain ??= plainText(entry.text);
  return entry.plain;
}

// Hues far apart, mid lightness: each readable on light and dark backgrounds, neighbours easy to tell apart.
const SERVICE_HUES = [210, 28, 140, 290, 325, 180, 55, 250];

/** A stable colour per service name. */
export function serviceColor(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return `hsl(${SERVICE_HUES[hash % SERVICE_HUES.length] ?? 0} 70% 45%)`;
}

/** hh:mm:ss.mmm in local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function renderPieces(pieces: Piece[]): JSX.Element[] {
  const out: JSX.Element[] = [];
  for (let i = 0; i < pieces.length; ) {
    const href = pieces[i]?.href ?? null;
    const group: JSX.Element[] = [];
    for (; i < pieces.length && (pieces[i]?.href ?? null) === href; i++) {
      const p = pieces[i] as Piece;
      const inner = p.isMatch ? <mark>{p.text}</mark> : p.text;
      group.push(p.style ? <span style={p.style}>{inner}</span> : <>{inner}</>);
    }
    // Log text is untrusted: only http(s) URLs become links, opened without access to this page.
    out.push(href ? <a href={href} target="_blank" rel="noopener noreferrer">{group}</a> : <>{group}</>);
  }
  return out;
}

/** One log line or gap, absolutely placed at `topPx`. */
export function LogRow(props: LogRowProps) {
  const { entry } = props;
  const style = { top: `${props.topPx}px` };
  if (entry.kind === "gap") {
    const count = entry.to - entry.from + 1;
    return (
      <div class="row gap" style={style} data-abs={props.abs} data-service={entry.service}>
        {props.showService && <span class="svc" style={{ color: serviceColor(entry.service) }}>{entry.service}</span>}
        <span class="text">{`⋯ ${count.toLocaleString()} ${count === 1 ? "line" : "lines"} not shown (seq ${entry.from}–${entry.to})`}</span>
      </div>
    );
  }
  const matches = props.regexp ? matchRanges(props.regexp, linePlain(entry)) : [];
  const classes = `row ${entry.stream}${props.isSelected ? " selected" : ""}${props.isCurrentMatch ? " current" : ""}`;
  return (
    <div class={classes} style={style} data-abs={props.abs} data-seq={entry.seq} data-service={entry.service}>
      {props.showTime && <span class="time">{formatTime(entry.time)}</span>}
      {props.showService && <span class="svc" style={{ color: serviceColor(entry.service) }}>{entry.service}</span>}
      {entry.stream === "system" && <span class="sys-tag">devdeck</span>}
      <span class="text">{renderPieces(toPieces(segmentsOf(entry), matches))}</span>
    </div>
  );
}
