// What the person is looking at: selected service, follow, search, filters, row selection, preferences.
import { computed, effect, signal, type ReadonlySignal, type Signal } from "@preact/signals";
import { ALL_SERVICES } from "../../shared/protocol.ts";
import { parseSearch, type Search } from "../logs/search.ts";

export type SearchMode = "filter" | "highlight";

/** A range of rows picked for copying: absolute indices in the selected view's buffer. */
export interface RowSelection {
  anchor: number;
  focus: number;
}

/** The view model: plain signals, changed by components and the keyboard. */
export interface ViewModel {
  /** A service name, or ALL_SERVICES for the merged view. */
  readonly selected: Signal<string>;
  readonly follow: Signal<boolean>;
  readonly query: Signal<string>;
  readonly isRegex: Signal<boolean>;
  readonly mode: Signal<SearchMode>;
  readonly isStderrOnly: Signal<boolean>;
  readonly showTime: Signal<boolean>;
  readonly isHelpOpen: Signal<boolean>;
  /** Desktop notification on crash; off until turned on, remembered in localStorage. */
  readonly notifyOnCrash: Signal<boolean>;
  readonly search: ReadonlySignal<Search>;
  readonly rowSelection: Signal<RowSelection | null>;
  /** Absolute buffer index of the search match last jumped to, or -1. */
  readonly currentMatch: Signal<number>;
  select(key: string): void;
}

const STORAGE_PREFIX = "devdeck.";

function stored(key: string, fallback: boolean): Signal<boolean> {
  let initial = fallback;
  try {
    const raw = localStorage.getItem(STORAGE_PREFIX + key);
    if (raw !== null) initial = raw === "1";
  } catch {
    // storage disabled: keep the default for this page's life
  }
  const value = signal(initial);
  effect(() => {
    try {
      localStorage.setItem(STORAGE_PREFIX + key, value.value ? "1" : "0");
    } catch {
      // as above
    }
  });
  return value;
}

/** Creates the view model with the remembered preferences. */
export function createViewModel(): ViewModel {
  const query = signal("");
  const isRegex = signal(false);
  const selected = signal<string>(ALL_SERVICES);
  const follow = signal(true);
  const rowSelection = signal<RowSelection | null>(null);
  const currentMatch = signal(-1);
  const search = computed(() => parseSearch(query.value, isRegex.value));
  return {
    selected,
    follow,
    query,
    isRegex,
    mode: signal<SearchMode>("highlight"),
    isStderrOnly: signal(false),
    showTime: stored("showTime", false),
    isHelpOpen: signal(false),
    notifyOnCrash: stored("notifyOnCrash", false),
    search,
    rowSelection,
    currentMatch,
    select(key) {
      if (key === selected.peek()) return;
      selected.value = key;
      // Another buffer: indices of the old one mean nothing there.
      rowSelection.value = null;
      currentMatch.value = -1;
      follow.value = true;
    },
  };
}
