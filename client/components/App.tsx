// The page: header, connection banner, service list, failing services, the log.
import type { ReadonlySignal } from "@preact/signals";
import type { ConnectionModel } from "../models/connection.ts";
import type { LogsModel } from "../models/logs.ts";
import type { ServicesModel } from "../models/services.ts";
import type { ViewModel } from "../models/view.ts";
import { LogPane } from "../logs/LogPane.tsx";
import { ConnectionBanner } from "./ConnectionBanner.tsx";
import { CrashPanel } from "./CrashPanel.tsx";
import { Header } from "./Header.tsx";
import { HelpDialog } from "./HelpDialog.tsx";
import { ServiceList } from "./ServiceList.tsx";

export interface AppProps {
  services: ServicesModel;
  logs: LogsModel;
  view: ViewModel;
  connection: ConnectionModel;
  now: ReadonlySignal<number>;
  onReconnect: () => void;
}

function NoticeBar({ services }: { services: ServicesModel }) {
  const notice = services.notice.value;
  if (notice === null) return null;
  return (
    <div class="notice" role="alert">
      <span>{notice}</span>
      <button type="button" aria-label="dismiss" onClick={() => services.tell(null)}>
        ×
      </button>
    </div>
  );
}

/** The whole UI. */
export function App({ services, logs, view, connection, now, onReconnect }: AppProps) {
  return (
    <div class="app">
      <Header services={services} view={view} />
      <ConnectionBanner connection={connection} now={now} onReconnect={onReconnect} />
      <NoticeBar services={services} />
      <div class="body">
        <ServiceList services={services} view={view} now={now} />
        <main class="content">
          <CrashPanel services={services} logs={logs} view={view} />
          <LogPane logs={logs} view={view} services={services} />
        </main>
      </div>
      <HelpDialog view={view} />
    </div>
  );
}
