// Failed services stand out above the log: why they ended, their last stderr lines, a restart button.
import { isFailed, type ServiceStatus } from "../../shared/service.ts";
import type { LogsModel } from "../models/logs.ts";
import type { ServicesModel } from "../models/services.ts";
import type { ViewModel } from "../models/view.ts";
import { toSegments } from "../logs/ansi.ts";
import { Controls } from "./Controls.tsx";
import { describeEnd } from "./format.ts";

/** stderr lines shown per failed service. */
export const CRASH_TAIL_LINES = 5;

export interface CrashPanelProps {
  services: ServicesModel;
  logs: LogsModel;
  view: ViewModel;
}

function Tail({ logs, status }: { logs: LogsModel; status: ServiceStatus }) {
  void logs.version.value;
  // Many dev servers print their errors on stdout: fall back to it when the last run wrote no stderr.
  const stderr = logs.recent(status.name, "stderr", CRASH_TAIL_LINES);
  const lines = stderr.length > 0 ? stderr : logs.recent(status.name, "stdout", CRASH_TAIL_LINES);
  if (lines.length === 0) return <p class="muted">No output before it ended.</p>;
  return (
    <pre class="crash-tail">
      {lines.map((line) => (
        <div key={line.seq}>
          {toSegments(line.text).map((s, i) => (s.style ? <span key={i} style={s.style}>{s.text}</span> : s.text))}
        </div>
      ))}
    </pre>
  );
}

/** One card per crashed or backing-off service; nothing when all is well. */
export function CrashPanel({ services, logs, view }: CrashPanelProps) {
  const failed = services.list.value.filter((s) => isFailed(s.state));
  if (failed.length === 0) return null;
  return (
    <section class="crashes" aria-label="failing services">
      {failed.map((status) => (
        <article key={status.name} class="crash" data-service={status.name} role="alert">
          <header>
            <strong>{status.name}</strong>
            <span class="crash-reason">{` ${status.state}: ${describeEnd(status) ?? "ended"}`}</span>
            <span class="spacer" />
            <button type="button" class="link" onClick={() => view.select(status.name)}>
              Show log
            </button>
            <Controls services={services} status={status} actions={["restart"]} />
          </header>
          <Tail logs={logs} status={status} />
        </article>
      ))}
    </section>
  );
}
