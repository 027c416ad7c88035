// Log entries as plain text, for the clipboard and the download: no escapes, one line per entry.
import type { LineBuffer, LogEntry } from "../models/line-buffer.ts";
import { linePlain } from "./LogRow.tsx";

/** One entry as a text line; `withService` prefixes the service name (merged view). */
export function entryText(entry: LogEntry, withService: boolean, withTime: boolean): string {
  const service = withService ? `${entry.service} | ` : "";
  if (entry.kind === "gap") return `${service}--- ${entry.to - entry.from + 1} lines not shown (seq ${entry.from}-${entry.to}) ---`;
  const time = withTime ? `${new Date(entry.time).toISOString()} ` : "";
  const stream = entry.stream === "stdout" ? "" : `[${entry.stream}] `;
  return `${time}${service}${stream}${linePlain(entry)}`;
}

/** Entries with absolute indices in [from, to], as text. `keep` decides which are shown. */
export function rangeText(buffer: LineBuffer, from: number, to: number, withService: boolean, withTime: boolean, keep: ((e: LogEntry) => boolean) | null): string {
  const lines: string[] = [];
  for (let abs = Math.max(from, buffer.start); abs <= to && abs < buffer.end; abs++) {
    const entry = buffer.at(abs);
    if (entry && (keep === null || keep(entry))) lines.push(entryText(entry, withService, withTime));
  }
  return lines.join("\n");
}

/** Copies text to the clipboard; falls back to a hidden textarea where the async API is missing. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // not a secure context, or permission refused: the old way still works on a user gesture
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

/** Offers the text as a file download. */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; revoking later frees the blob.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
