// Failed services stand out above the log: why they ended, their last stderr lines, a restart button, and
// for a port taken by another process, who holds it and a button to stop that process (after a confirm).
import { useSignal } from "@preact/signals";
import { formatStartedAt, shortenCommand } from "../../shared/format.ts";
import { describeEnd, isFailed, type PortHolder, type ServiceStatus } from "../../shared/service.ts";
import { postFreePort } from "../net/api.ts";
import type { LogsModel } from "../models/logs.ts";
import type { ServicesModel } from "../models/services.ts";
import type { ViewModel } from "../models/view.ts";
import { toSegments } from "../logs/ansi.ts";
import { Controls } from "./Controls.tsx";

/** stderr lines shown per failed service. */
export const CRASH_TAIL_LINES = 5;

export interface CrashPanelProps {
  services: ServicesModel;
  logs: LogsModel;
  view: ViewModel;
  /** POST free-port (net/api.ts postFreePort unless a test passes another). */
  freePort?: (name: string, pid: number) => Promise<ServiceStatus>;
}

type FreePort = NonNullable<CrashPanelProps["freePort"]>;

/** "Port 8000 is held by pid 4242 (node server.js), user alice, since 14:03". */
export function describeHolder(holder: PortHolder): string {
  // Minutes are enough on the card ("since 14:03"); the service's log line gives seconds.
  const since = holder.startedAt === null ? "" : `, since ${formatStartedAt(holder.startedAt, Date.now(), "minutes")}`;
  return `Port ${holder.port} is held by pid ${holder.pid} (${holder.command}), user ${holder.user}${since}`;
}

// The confirmation dialog cuts a long command line; the card shows it whole.
function confirmText(name: string, holder: PortHolder): string {
  return `Stop pid ${holder.pid} (${shortenCommand(holder.command)}), which holds port ${holder.port}, and start ${name}?`;
}

function PortHolderNote({ services, status, freePort }: { services: ServicesModel; status: ServiceStatus; freePort: FreePort }) {
  const isPending = useSignal(false);
  const holder = status.portHolder;
  if (!holder) return null;
  const free = async () => {
    // Checked again after the (blocking) dialog: a click queued behind it must not send a second request.
    if (isPending.peek() || !window.confirm(confirmText(status.name, holder)) || isPending.peek()) return;
    isPending.value = true;
    try {
      await freePort(status.name, holder.pid);
    } catch (err) {
      services.tell(err instanceof Error ? err.message : String(err));
    } finally {
      isPending.value = false;
    }
  };
  const canOffer = holder.canStop && !services.isReadOnly.value;
  return (
    <p class="port-holder">
      {/* The command line is another program's text: rendered as text, never as markup. */}
      <span class="port-holder-text">{describeHolder(holder)}</span>
      {canOffer && (
        <>
          {" "}
          <button
            type="button"
            class="act act-free-port"
            data-action="free-port"
            aria-busy={isPending.value}
            disabled={isPending.value}
            onClick={(ev) => {
              ev.stopPropagation();
              void free();
            }}
          >
            {isPending.value ? `Stopping pid ${holder.pid}…` : `Stop pid ${holder.pid} and start ${status.name}`}
          </button>
        </>
      )}
    </p>
  );
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
export function CrashPanel({ services, logs, view, freePort = postFreePort }: CrashPanelProps) {
  const failed = services.list.value.filter((s) => isFailed(s.state));
  if (failed.length === 0) return null;
  return (
    <section class="crashes" aria-label="failing services">
      {failed.map((status) => (
        <article key={status.name} class="crash" data-service={status.name} role="alert">
          <header>
            <strong>{status.name}</strong>
            {/* With a port holder the note below names it: the header stays short instead of saying it twice. */}
            <span class="crash-reason">{` ${status.state}: ${status.portHolder ? `port ${status.portHolder.port} is already in use` : (describeEnd(status) ?? "ended")}`}</span>
            <span class="spacer" />
            <button type="button" class="link" onClick={() => view.select(status.name)}>
              Show log
            </button>
            <Controls services={services} status={status} actions={["restart"]} />
          </header>
          <PortHolderNote services={services} status={status} freePort={freePort} />
          <Tail logs={logs} status={status} />
        </article>
      ))}
    </section>
  );
}
