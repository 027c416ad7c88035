// Keyboard shortcuts for the whole page (see HelpDialog): move between services, restart, search, follow.
import { ALL_SERVICES } from "../../shared/protocol.ts";
import type { ServicesModel } from "../models/services.ts";
import type { ViewModel } from "../models/view.ts";
import { SEARCH_INPUT_ID } from "../logs/SearchBar.tsx";

function move(services: ServicesModel, view: ViewModel, step: 1 | -1): void {
  const keys = [ALL_SERVICES, ...services.list.peek().map((s) => s.name)];
  const at = keys.indexOf(view.selected.peek());
  const next = keys[Math.min(keys.length - 1, Math.max(0, at + step))];
  if (next !== undefined) view.select(next);
  document.querySelector(`.service[data-service="${CSS.escape(next ?? "")}"]`)?.scrollIntoView({ block: "nearest" });
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("input, textarea, select, [contenteditable]") !== null;
}

function handle(ev: KeyboardEvent, services: ServicesModel, view: ViewModel): boolean {
  // Arrows inside the log scroll it; j/k always move between services.
  const isInLog = ev.target instanceof Element && ev.target.closest(".log-scroll") !== null;
  switch (ev.key) {
    case "j":
    case "ArrowDown":
      if (ev.key === "ArrowDown" && isInLog) return false;
      move(services, view, 1);
      return true;
    case "k":
    case "ArrowUp":
      if (ev.key === "ArrowUp" && isInLog) return false;
      move(services, view, -1);
      return true;
    case "r": {
      const name = view.selected.peek();
      if (name !== ALL_SERVICES && !services.isReadOnly.peek()) void services.act(name, "restart");
      return true;
    }
    case "/":
      document.getElementById(SEARCH_INPUT_ID)?.focus();
      return true;
    case "f":
      view.follow.value = !view.follow.peek();
      return true;
    case "t":
      view.showTime.value = !view.showTime.peek();
      return true;
    case "?":
      view.isHelpOpen.value = !view.isHelpOpen.peek();
      return true;
    default:
      return false;
  }
}

/** Listens on the document; returns the disposer. */
export function bindKeys(services: ServicesModel, view: ViewModel): () => void {
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    if (ev.key === "Escape") {
      view.isHelpOpen.value = false;
      view.rowSelection.value = null;
      return;
    }
    if (isTyping(ev.target)) return;
    if (handle(ev, services, view)) ev.preventDefault();
  };
  document.addEventListener("keydown", onKeyDown);
  return () => document.removeEventListener("keydown", onKeyDown);
}
