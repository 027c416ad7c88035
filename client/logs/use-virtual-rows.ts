// @tanstack/virtual-core wired to Preact: fixed-height rows, and a way to tell it about our own scroll writes.
import { useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";
import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
} from "@tanstack/virtual-core";

export interface VirtualRows {
  items: VirtualItem[];
  totalSize: number;
  /**
   * Tells the virtualizer where the element is scrolled now. Our writes to scrollTop (follow mode,
   * keeping the view still while old lines fall off) would otherwise reach it one frame late, after
   * a frame painted with the wrong rows.
   */
  syncOffset: () => void;
}

type OffsetCallback = (offset: number, isScrolling: boolean) => void;

/** Visible rows of a list of `count` rows, each `rowHeightPx` high, in the element `scrollRef` points at. */
export function useVirtualRows(count: number, rowHeightPx: number, scrollRef: { current: HTMLElement | null }, overscan: number): VirtualRows {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const offsetCallback = useRef<OffsetCallback | null>(null);
  const options = {
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeightPx,
    overscan,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset: (instance: Virtualizer<HTMLElement, HTMLElement>, cb: OffsetCallback) => {
      offsetCallback.current = cb;
      return observeElementOffset(instance, cb);
    },
    onChange: () => rerender(0),
  };
  const [virtualizer] = useState(() => new Virtualizer<HTMLElement, HTMLElement>(options));
  virtualizer.setOptions(options);
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => virtualizer._willUpdate());
  return {
    items: virtualizer.getVirtualItems(),
    totalSize: virtualizer.getTotalSize(),
    syncOffset: () => {
      const el = scrollRef.current;
      if (el) offsetCallback.current?.(el.scrollTop, false);
    },
  };
}
