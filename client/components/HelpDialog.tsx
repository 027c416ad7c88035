// The keyboard shortcuts, opened with "?".
import { Fragment } from "preact";
import type { ViewModel } from "../models/view.ts";

const KEYS: Array<[keys: string, what: string]> = [
  ["j / ↓", "next service"],
  ["k / ↑", "previous service"],
  ["r", "restart the selected service"],
  ["/", "search the log"],
  ["Enter / Shift+Enter", "next / previous match (in search)"],
  ["f", "follow on / off"],
  ["t", "timestamps on / off"],
  ["Esc", "leave search, close this help"],
  ["?", "this help"],
];

/** Modal list of shortcuts. */
export function HelpDialog({ view }: { view: ViewModel }) {
  if (!view.isHelpOpen.value) return null;
  return (
    <div class="overlay" onClick={() => (view.isHelpOpen.value = false)}>
      <div class="dialog" role="dialog" aria-modal="true" aria-label="keyboard shortcuts" onClick={(ev) => ev.stopPropagation()}>
        <h2>Keyboard</h2>
        <dl>
          {KEYS.map(([keys, what]) => (
            <Fragment key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </Fragment>
          ))}
        </dl>
        <button type="button" onClick={() => (view.isHelpOpen.value = false)}>
          Close
        </button>
      </div>
    </div>
  );
}
