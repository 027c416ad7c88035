// How start times and other programs' command lines read, the same in a `system` line and in the UI.
// Shared by server and client: no node:*, no DOM.

/** A command line longer than this is cut where devdeck shows it: it is untrusted and unbounded. */
export const MAX_COMMAND_CHARS = 200;

/** `command` cut to MAX_COMMAND_CHARS, with "…" when it was longer. */
export function shortenCommand(command: string): string {
  return command.length > MAX_COMMAND_CHARS ? `${command.slice(0, MAX_COMMAND_CHARS)}…` : command;
}

/** How finely formatStartedAt tells the time: a log line gives seconds, the UI's note minutes. */
export type TimePrecision = "seconds" | "minutes";

/** When a process started, local time: "14:03:12" today, "2024-05-02 14:03:12" another day (an old orphan). */
export function formatStartedAt(startedAt: number, now: number, precision: TimePrecision): string {
  if (!Number.isFinite(startedAt)) return "an unknown time";
  const at = new Date(startedAt);
  const pad = (n: number) => String(n).padStart(2, "0");
  const minutes = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const time = precision === "seconds" ? `${minutes}:${pad(at.getSeconds())}` : minutes;
  if (at.toDateString() === new Date(now).toDateString()) return time;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}
