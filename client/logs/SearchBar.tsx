// Search box: plain text or regex, filter or highlight, match count, previous/next.
import type { ViewModel } from "../models/view.ts";

/** The "/" key focuses this input. */
export const SEARCH_INPUT_ID = "log-search";

export interface SearchBarProps {
  view: ViewModel;
  matchCount: number;
  /** 1-based position of the current match, 0 when none is current. */
  matchOrdinal: number;
  onMatch: (step: 1 | -1) => void;
}

function countLabel(props: SearchBarProps): string {
  const { matchCount, matchOrdinal } = props;
  if (matchCount === 0) return "no matches";
  const total = `${matchCount.toLocaleString()} ${matchCount === 1 ? "match" : "matches"}`;
  return matchOrdinal > 0 ? `${matchOrdinal.toLocaleString()} of ${total}` : total;
}

/** The search controls above the log. */
export function SearchBar(props: SearchBarProps) {
  const { view } = props;
  const search = view.search.value;
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      props.onMatch(ev.shiftKey ? -1 : 1);
    } else if (ev.key === "Escape") {
      view.query.value = "";
      (ev.currentTarget as HTMLInputElement).blur();
    }
  };
  return (
    <div class="search" role="search">
      <input
        id={SEARCH_INPUT_ID}
        type="search"
        placeholder="Search  /"
        aria-label="search the log"
        aria-invalid={search.kind === "error"}
        value={view.query.value}
        onInput={(ev) => {
          view.query.value = ev.currentTarget.value;
          view.currentMatch.value = -1;
        }}
        onKeyDown={onKeyDown}
        spellcheck={false}
        autocomplete="off"
      />
      <button type="button" class="toggle" aria-pressed={view.isRegex.value} title="Regular expression" onClick={() => (view.isRegex.value = !view.isRegex.value)}>
        .*
      </button>
      <button
        type="button"
        class="toggle"
        aria-pressed={view.mode.value === "filter"}
        title="Show only matching lines (otherwise highlight them)"
        onClick={() => (view.mode.value = view.mode.value === "filter" ? "highlight" : "filter")}
      >
        Filter
      </button>
      {search.kind === "error" && <span class="search-error" role="alert">{search.message}</span>}
      {search.kind === "parsed" && (
        <>
          <span class="match-count" aria-live="polite">{countLabel(props)}</span>
          <button type="button" title="Previous match (Shift+Enter)" aria-label="previous match" disabled={props.matchCount === 0} onClick={() => props.onMatch(-1)}>
            ↑
          </button>
          <button type="button" title="Next match (Enter)" aria-label="next match" disabled={props.matchCount === 0} onClick={() => props.onMatch(1)}>
            ↓
          </button>
        </>
      )}
    </div>
  );
}
