// The log view: a virtual list over the selected buffer; follow sticks to the bottom, scrolling up pauses.
import { useLayoutEffect, useMemo, useRef } from "preact/hooks";
import { ALL_SERVICES } from "../../shared/protocol.ts";
import type { LogsModel } from "../models/logs.ts";
import type { ServicesModel } from "../models/services.ts";
import type { SearchMode, ViewModel } from "../models/view.ts";
import type { LogEntry } from "../models/line-buffer.ts";
import { createEntryIndex, type EntryIndex, type EntryTest } from "./entry-index.ts";
import { LogRow, linePlain } from "./LogRow.tsx";
import { LogToolbar } from "./LogToolbar.tsx";
import { isMatch } from "./search.ts";
import { useFollow } from "./use-follow.ts";
import { useVirtualRows } from "./use-virtual-rows.ts";

/** Every row is this high (CSS .row agrees): the virtual list needs no measuring. */
export const ROW_HEIGHT_PX = 18;
const OVERSCAN_ROWS = 12;

interface Tests {
  /** Which entries are rows (null: all). */
  row: EntryTest | null;
  /** Which rows count as search matches (null: no search). */
  match: EntryTest | null;
}

function makeTests(regexp: RegExp | null, mode: SearchMode, isStderrOnly: boolean): Tests {
  const isShownStream = (e: LogEntry) => !isStderrOnly || e.kind === "gap" || e.stream === "stderr";
  const match = regexp && ((e: LogEntry) => e.kind === "line" && isShownStream(e) && isMatch(regexp, linePlain(e)));
  // Gap rows stay in every view: lines we never got might have matched.
  if (match && mode === "filter") return { row: (e) => e.kind === "gap" || match(e), match };
  return { row: isStderrOnly ? isShownStream : null, match };
}

/**
 * The match `step` away from the current one (absolute index `from`), wrapping around; with no
 * current match, the first one at or after the top row `topAbs` (or the last one before it).
 */
function stepMatch(matches: EntryIndex, from: number | null, topAbs: number, step: 1 | -1): number {
  const pos = from !== null ? matches.positionOf(from) + step : matches.positionOf(topAbs) + (step < 0 ? -1 : 0);
  return matches.abs((pos + matches.length) % matches.length);
}

export interface LogPaneProps {
  logs: LogsModel;
  view: ViewModel;
  services: ServicesModel;
}

/** The selected view's log with its toolbar. */
export function LogPane({ logs, view, services }: LogPaneProps) {
  void logs.version.value; // re-render when lines arrive (at most once a frame)
  const key = view.selected.value;
  const buffer = logs.view(key);
  const search = view.search.value;
  const regexp = search.kind === "parsed" ? search.regexp : null;
  const tests = useMemo(() => makeTests(regexp, view.mode.value, view.isStderrOnly.value), [regexp, view.mode.value, view.isStderrOnly.value]);
  const rows = useMemo(createEntryIndex, []);
  const matches = useMemo(createEntryIndex, []);
  rows.sync(buffer, tests.row);
  if (tests.match) matches.sync(buffer, tests.match);
  const matchCount = tests.match ? matches.length : 0;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualRows(rows.length, ROW_HEIGHT_PX, scrollRef, OVERSCAN_ROWS);
  const follow = useFollow({ scrollRef, view, buffer, rows, rowHeightPx: ROW_HEIGHT_PX, syncOffset: virtual.syncOffset });
  useLayoutEffect(() => {
    // Selections and the current match are indices into the old contents.
    view.rowSelection.value = null;
    view.currentMatch.value = -1;
  }, [buffer, buffer.epoch]);

  const goToMatch = (step: 1 | -1) => {
    const el = scrollRef.current;
    if (!el || matchCount === 0) return;
    const current = view.currentMatch.peek();
    const from = current >= 0 && buffer.at(current) ? current : null;
    const abs = stepMatch(matches, from, rows.abs(Math.floor(el.scrollTop / ROW_HEIGHT_PX)), step);
    view.currentMatch.value = abs;
    follow.scrollToPosition(rows.positionOf(abs));
  };
  const currentMatch = view.currentMatch.value;
  const matchOrdinal = matchCount > 0 && currentMatch >= 0 ? matches.positionOf(currentMatch) + 1 : 0;

  return (
    <section class="log-panel" aria-label="log">
      <LogToolbar
        logs={logs}
        view={view}
        service={key === ALL_SERVICES ? null : (services.get(key) ?? null)}
        rowCount={rows.length}
        rowTest={tests.row}
        matchCount={matchCount}
        matchOrdinal={matchOrdinal}
        onMatch={goToMatch}
      />
      <div class="log-scroll" ref={scrollRef} onScroll={follow.onScroll} onWheel={follow.onWheel} tabIndex={0} data-testid="log-scroll">
        {rows.length === 0 && <p class="empty">{buffer.end === 0 ? "No output yet." : "No line matches."}</p>}
        <div class="log-inner" style={{ height: `${virtual.totalSize}px` }} onMouseDown={onRowMouseDown} onClick={(ev) => onRowClick(ev, view)}>
          {virtual.items.map((item) => renderRow(item.index, item.start, rows, { buffer, key, view, regexp }))}
        </div>
      </div>
      {!view.follow.value && (
        <button type="button" class="new-lines" onClick={() => (view.follow.value = true)}>
          {follow.newRows > 0 ? `↓ ${follow.newRows.toLocaleString()} new ${follow.newRows === 1 ? "line" : "lines"}` : "↓ Follow"}
        </button>
      )}
    </section>
  );
}

interface RowContext {
  buffer: ReturnType<LogsModel["view"]>;
  key: string;
  view: ViewModel;
  regexp: RegExp | null;
}

function renderRow(pos: number, topPx: number, rows: EntryIndex, ctx: RowContext) {
  const abs = rows.abs(pos);
  const entry = ctx.buffer.at(abs);
  if (!entry) return null;
  const selection = ctx.view.rowSelection.value;
  const isSelected = selection !== null && abs >= Math.min(selection.anchor, selection.focus) && abs <= Math.max(selection.anchor, selection.focus);
  return (
    <LogRow
      key={abs}
      entry={entry}
      abs={abs}
      topPx={topPx}
      showService={ctx.key === ALL_SERVICES}
      showTime={ctx.view.showTime.value}
      regexp={ctx.regexp}
      isSelected={isSelected}
      isCurrentMatch={abs === ctx.view.currentMatch.value}
    />
  );
}

function onRowMouseDown(ev: MouseEvent): void {
  // Shift-click extends the row selection; without this it would also select text across rows.
  if (ev.shiftKey) ev.preventDefault();
}

function onRowClick(ev: MouseEvent, view: ViewModel): void {
  const target = ev.target as Element;
  if (target.closest("a")) return;
  // A drag that selected text natively is a copy in progress, not a row pick.
  if (!ev.shiftKey && (window.getSelection()?.toString() ?? "") !== "") return;
  const abs = Number(target.closest<HTMLElement>(".row")?.dataset["abs"] ?? NaN);
  if (Number.isNaN(abs)) return;
  const current = view.rowSelection.peek();
  if (ev.shiftKey && current) view.rowSelection.value = { anchor: current.anchor, focus: abs };
  else if (current && current.anchor === abs && current.focus === abs) view.rowSelection.value = null;
  else view.rowSelection.value = { anchor: abs, focus: abs };
}
