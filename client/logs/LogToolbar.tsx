// Above the log: what is shown, search, stream filter, timestamps, follow, copy, download, clear.
import { ALL_SERVICES } from "../../shared/protocol.ts";
import type { ServiceStatus } from "../../shared/service.ts";
import type { LogsModel } from "../models/logs.ts";
import type { ViewModel } from "../models/view.ts";
import type { EntryTest } from "./entry-index.ts";
import { copyText, downloadText, rangeText } from "./log-text.ts";
import { SearchBar } from "./SearchBar.tsx";

export interface LogToolbarProps {
  logs: LogsModel;
  view: ViewModel;
  /** The selected service, null for the merged view. */
  service: ServiceStatus | null;
  rowCount: number;
  rowTest: EntryTest | null;
  matchCount: number;
  matchOrdinal: number;
  onMatch: (step: 1 | -1) => void;
}

function fileName(key: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return `devdeck-${key === ALL_SERVICES ? "all" : key}-${stamp}.log`;
}

/** The toolbar of the log view. */
export function LogToolbar(props: LogToolbarProps) {
  const { logs, view } = props;
  const key = view.selected.value;
  const selection = view.rowSelection.value;
  const isMerged = key === ALL_SERVICES;
  const onCopy = () => {
    if (!selection) return;
    const from = Math.min(selection.anchor, selection.focus);
    const to = Math.max(selection.anchor, selection.focus);
    void copyText(rangeText(logs.view(key), from, to, isMerged, view.showTime.peek(), props.rowTest));
  };
  const onDownload = () => {
    const buffer = logs.view(key);
    downloadText(rangeText(buffer, buffer.start, buffer.end - 1, isMerged, true, null) + "\n", fileName(key));
  };
  const onClear = () => {
    logs.clear(key);
    view.rowSelection.value = null;
    view.currentMatch.value = -1;
  };
  const selected = selection ? Math.abs(selection.focus - selection.anchor) + 1 : 0;
  return (
    <div class="log-toolbar">
      <div class="log-title">
        <h2>{isMerged ? "All services" : key}</h2>
        <span class="muted">{`${props.rowCount.toLocaleString()} ${props.rowCount === 1 ? "line" : "lines"}`}</span>
        {props.service?.pty && <span class="note" title="The service runs in a pseudo-terminal">pty: stdout and stderr are one stream</span>}
      </div>
      <SearchBar view={view} matchCount={props.matchCount} matchOrdinal={props.matchOrdinal} onMatch={props.onMatch} />
      <div class="log-actions">
        <button type="button" class="toggle" aria-pressed={view.isStderrOnly.value} onClick={() => (view.isStderrOnly.value = !view.isStderrOnly.value)}>
          stderr only
        </button>
        <button type="button" class="toggle" aria-pressed={view.showTime.value} onClick={() => (view.showTime.value = !view.showTime.value)}>
          Time
        </button>
        <button type="button" class="toggle" aria-pressed={view.follow.value} title="Follow new lines (f)" onClick={() => (view.follow.value = !view.follow.value)}>
          Follow
        </button>
        <button type="button" disabled={selected === 0} title="Click a row, shift-click another, then copy" onClick={onCopy}>
          {selected > 1 ? `Copy ${selected} rows` : "Copy"}
        </button>
        <button type="button" title="Download the buffered log" onClick={onDownload}>
          Download
        </button>
        <button type="button" title="Clear the view" onClick={onClear}>
          Clear
        </button>
      </div>
    </div>
  );
}
