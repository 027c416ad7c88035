// Typed parse of the two WebSocket channels' messages: anything malformed becomes null, never a throw.
import type { LogsChannelMsg, StatusChannelMsg } from "../../shared/protocol.ts";

function parseJson(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A /ws/status message, or null for anything else. */
export function parseStatusMsg(data: string): StatusChannelMsg | null {
  const msg = parseJson(data);
  if (msg?.["type"] === "snapshot" && typeof msg["instance"] === "string" && Array.isArray(msg["services"])) {
    return msg as unknown as StatusChannelMsg;
  }
  if (msg?.["type"] === "status" && typeof msg["service"] === "object" && msg["service"] !== null) {
    return msg as unknown as StatusChannelMsg;
  }
  return null;
}

/** A /ws/logs message, or null for anything else. */
export function parseLogsMsg(data: string): LogsChannelMsg | null {
  const msg = parseJson(data);
  switch (msg?.["type"]) {
    case "lines":
      return typeof msg["service"] === "string" && Array.isArray(msg["lines"]) ? (msg as unknown as LogsChannelMsg) : null;
    case "live":
      return typeof msg["service"] === "string" ? (msg as unknown as LogsChannelMsg) : null;
    case "gap":
      return typeof msg["service"] === "string" && typeof msg["from"] === "number" && typeof msg["to"] === "number"
        ? (msg as unknown as LogsChannelMsg)
        : null;
    case "reset":
      return typeof msg["instance"] === "string" ? (msg as unknown as LogsChannelMsg) : null;
    default:
      return null;
  }
}
