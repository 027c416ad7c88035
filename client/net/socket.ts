// A WebSocket that reconnects by itself with backoff and jitter, and hands on only well-formed messages.
import { reconnectDelay } from "./backoff.ts";

export type SocketState = "connecting" | "open" | "closed";

export interface SocketOptions<M> {
  /** Called before every attempt, so a reconnect can carry the latest `since`. */
  url: () => string;
  parse: (data: string) => M | null;
  onMessage: (msg: M) => void;
  onOpen?: () => void;
  /** `retryAt` is when the next attempt starts (ms since the epoch). */
  onClose?: (retryAt: number) => void;
}

export interface ReconnectingSocket {
  readonly state: SocketState;
  /** Skips the wait of the current backoff. */
  reconnectNow: () => void;
  close: () => void;
}

/** ws:// or wss:// URL of `path` on this page's origin (cookies and Origin come along). */
export function wsUrl(path: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

/** Opens `opts.url()` and keeps it open until close(). */
export function createSocket<M>(opts: SocketOptions<M>): ReconnectingSocket {
  let ws: WebSocket | null = null;
  let state: SocketState = "connecting";
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isClosedForGood = false;

  const connect = () => {
    timer = undefined;
    state = "connecting";
    const socket = new WebSocket(opts.url());
    ws = socket;
    socket.onopen = () => {
      state = "open";
      opts.onOpen?.();
    };
    socket.onmessage = (ev: MessageEvent) => {
      // A server that accepts then drops at once must not make us spin: reset only once data flows.
      attempt = 0;
      const msg = typeof ev.data === "string" ? opts.parse(ev.data) : null;
      if (msg !== null) opts.onMessage(msg);
    };
    socket.onerror = () => {};
    socket.onclose = () => {
      if (ws !== socket || isClosedForGood) return;
      ws = null;
      state = "closed";
      const delay = reconnectDelay(attempt++);
      timer = setTimeout(connect, delay);
      opts.onClose?.(Date.now() + delay);
    };
  };

  connect();
  return {
    get state() {
      return state;
    },
    reconnectNow: () => {
      if (timer === undefined) return;
      clearTimeout(timer);
      connect();
    },
    close: () => {
      isClosedForGood = true;
      clearTimeout(timer);
      ws?.close();
      ws = null;
      state = "closed";
    },
  };
}
