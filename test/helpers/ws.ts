// A real WebSocket client that records every message, with waits on what arrived.
import WebSocket from "ws";
import type { LogsChannelMsg, StatusChannelMsg } from "../../shared/protocol.ts";
import { waitUntil } from "./wait.ts";

export interface RecordingSocket<M> {
  ws: WebSocket;
  messages: M[];
  /** Resolves with the first recorded message matching `pred` (waiting for it if needed). */
  waitFor: (pred: (m: M) => boolean, timeoutMs?: number) => Promise<M>;
  close: () => void;
}

/** Opens `url` (http:// or ws://) and records parsed JSON messages. */
export async function connectWs<M = LogsChannelMsg | StatusChannelMsg>(
  url: string,
  headers: Record<string, string> = {},
): Promise<RecordingSocket<M>> {
  const ws = new WebSocket(url.replace(/^http/, "ws"), { headers });
  const messages: M[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data)) as M));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  ws.on("error", () => {});
  return {
    ws,
    messages,
    waitFor: (pred, timeoutMs = 10_000) =>
      waitUntil(() => messages.find(pred), { timeoutMs, message: "a matching WebSocket message" }),
    close: () => ws.close(),
  };
}

/** Attempts an upgrade and resolves with the HTTP status that refused it (or 101). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, "ws"), { headers });
    ws.once("open", () => {
      ws.close();
      resolve(101);
    });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once("error", () => resolve(0));
  });
}
