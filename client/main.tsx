// Composition root: models, the two WebSocket channels, document side effects, then <App/>.
import { render } from "preact";
import { ALL_SERVICES, LOGS_PATH, STATUS_PATH } from "../shared/protocol.ts";
import { fetchConsoleInfo, postAction } from "./net/api.ts";
import { parseLogsMsg, parseStatusMsg } from "./net/parse.ts";
import { createSocket, wsUrl, type ReconnectingSocket } from "./net/socket.ts";
import { createClock } from "./models/clock.ts";
import { createConnectionModel } from "./models/connection.ts";
import { createLogsModel, type LogsModel } from "./models/logs.ts";
import { createServicesModel } from "./models/services.ts";
import { createViewModel } from "./models/view.ts";
import { App } from "./components/App.tsx";
import { watchCrashes } from "./components/crash-notify.ts";
import { watchDocumentHealth } from "./components/document-health.ts";
import { bindKeys } from "./components/keyboard.ts";
import "./styles.css";

// ---- models ----
const services = createServicesModel(postAction);
// Lines arrive in bursts of thousands a second: the view re-renders at most once per frame.
const logs = createLogsModel({ schedule: (run) => requestAnimationFrame(() => run()) });
const view = createViewModel();
const connection = createConnectionModel();
const now = createClock();

// ---- channels ----
function logsUrl(model: LogsModel): string {
  // Resume each service after the last seq we hold; `instance` makes a restarted console say so.
  const params = [`service=${encodeURIComponent(ALL_SERVICES)}`];
  const since = model.since();
  if (since !== "") params.push(`since=${since}`);
  if (model.instance !== null) params.push(`instance=${encodeURIComponent(model.instance)}`);
  return `${wsUrl(LOGS_PATH)}?${params.join("&")}`;
}

let logsSocket: ReconnectingSocket | null = null;
const statusSocket = createSocket({
  url: () => wsUrl(STATUS_PATH),
  parse: parseStatusMsg,
  onMessage: (msg) => {
    services.handle(msg);
    // Read-only is per console run: ask again whenever a (re)started console says hello.
    if (msg.type === "snapshot") void fetchConsoleInfo().then((info) => services.setReadOnly(info?.readOnly ?? false));
    // The log channel waits for the first snapshot: its instance is what the seqs will belong to.
    if (msg.type === "snapshot" && logsSocket === null) {
      logs.setInstance(msg.instance);
      logsSocket = createSocket({
        url: () => logsUrl(logs),
        parse: parseLogsMsg,
        onMessage: (m) => logs.handle(m),
        onOpen: () => connection.opened("logs"),
        onClose: (retryAt) => connection.lost("logs", retryAt),
      });
    }
  },
  onOpen: () => connection.opened("status"),
  onClose: (retryAt) => connection.lost("status", retryAt),
});

// ---- page ----
watchDocumentHealth(services, connection);
watchCrashes(services, view);
bindKeys(services, view);

const onReconnect = () => {
  statusSocket.reconnectNow();
  logsSocket?.reconnectNow();
};
const root = document.getElementById("app");
if (root) render(<App services={services} logs={logs} view={view} connection={connection} now={now} onReconnect={onReconnect} />, root);
