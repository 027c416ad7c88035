// Follow mode for the log's scroll box: stick to the bottom; a person scrolling up pauses it without a
// jump; while paused, rows falling off the top move the view with them; count what arrived since.
import { useLayoutEffect, useRef } from "preact/hooks";
import type { LineBuffer } from "../models/line-buffer.ts";
import type { ViewModel } from "../models/view.ts";
import type { EntryIndex } from "./entry-index.ts";

export interface FollowOptions {
  scrollRef: { current: HTMLElement | null };
  view: ViewModel;
  buffer: LineBuffer;
  /** The rows shown, synced for this render. */
  rows: EntryIndex;
  rowHeightPx: number;
  /** Tells the virtual list about a scrollTop we wrote. */
  syncOffset: () => void;
}

export interface FollowScroll {
  /** Rows that arrived since follow was paused. */
  newRows: number;
  onScroll: () => void;
  onWheel: (ev: WheelEvent) => void;
  /** Centres row `pos` in the view (a search jump). */
  scrollToPosition: (pos: number) => void;
}

interface State {
  /** scrollTop we wrote ourselves: its scroll event is not the person scrolling. */
  expectedTop: number;
  lastTop: number;
  /** buffer.end when follow was paused: rows after it are "new". */
  pausedAtEnd: number | null;
  /** The buffer and epoch pausedAtEnd belongs to. */
  buffer: LineBuffer | null;
  epoch: number;
}

function trackPause(state: State, buffer: LineBuffer, isFollowing: boolean): void {
  const isNewBuffer = state.buffer !== buffer || state.epoch !== buffer.epoch;
  if (isFollowing) state.pausedAtEnd = null;
  // Cleared or replaced (console restarted) while paused: everything in it is new.
  else if (isNewBuffer) state.pausedAtEnd = buffer.start;
  else state.pausedAtEnd ??= buffer.end;
  state.buffer = buffer;
  state.epoch = buffer.epoch;
}

/** Follow behaviour for one scroll box; call once per render after rows.sync(). */
export function useFollow(opts: FollowOptions): FollowScroll {
  const { scrollRef, view, rows, rowHeightPx } = opts;
  const state = useRef<State>({ expectedTop: -1, lastTop: 0, pausedAtEnd: null, buffer: null, epoch: -1 }).current;
  const isFollowing = view.follow.value;
  trackPause(state, opts.buffer, isFollowing);
  const dropped = rows.dropped;
  const write = (el: HTMLElement, top: number) => {
    el.scrollTop = top;
    state.expectedTop = el.scrollTop;
    opts.syncOffset();
  };

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.clientHeight;
    if (isFollowing && Math.abs(el.scrollTop - bottom) >= 1) write(el, bottom);
    // Old rows fell off the top: move up with the content so what the person reads stays put.
    else if (!isFollowing && dropped > 0) write(el, Math.max(0, el.scrollTop - dropped * rowHeightPx));
  });

  return {
    newRows: state.pausedAtEnd === null ? 0 : Math.max(0, rows.length - rows.positionOf(state.pausedAtEnd)),
    onScroll: () => {
      const el = scrollRef.current;
      if (!el) return;
      const top = el.scrollTop;
      if (Math.abs(top - state.expectedTop) < 1) {
        state.expectedTop = -1;
      } else {
        const isAtBottom = el.scrollHeight - top - el.clientHeight < rowHeightPx;
        if (top < state.lastTop && !isAtBottom) view.follow.value = false;
        else if (top > state.lastTop && isAtBottom) view.follow.value = true;
      }
      state.lastTop = top;
    },
    onWheel: (ev) => {
      // Pause before the next frame of lines can scroll back down under the wheel.
      if (ev.deltaY < 0) view.follow.value = false;
    },
    scrollToPosition: (pos) => {
      const el = scrollRef.current;
      if (!el) return;
      view.follow.value = false;
      write(el, Math.max(0, pos * rowHeightPx - el.clientHeight / 2));
    },
  };
}
