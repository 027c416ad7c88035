// A service's `watch` globs (SPEC.md: relative to its cwd, `!` negates) → which files count and which
// folders the watcher never needs to enter. Pure: paths in, booleans out.
import picomatch from "picomatch";
import { errors } from "../errors.ts";

/** Folders skipped at any depth unless a (non-negated) pattern names them as a path segment. */
export const DEFAULT_IGNORED_DIRS: readonly string[] = [".git", "node_modules"];

/** Decisions about paths relative to the service's cwd, `/`-separated, without a leading `./`. */
export interface WatchMatcher {
  /** True when a change to this file should restart the service. */
  matches(relPath: string): boolean;
  /** True when nothing below this folder can ever match: the watcher does not descend into it. */
  isPrunedDir(relDir: string): boolean;
}

interface Positive {
  isMatch: picomatch.Matcher;
  /** Segments for pruning; null when a brace or extglob spans a `/` and segments cannot be told apart. */
  segments: string[] | null;
}

// Dotfiles stay out of `*` and `**` (the glob convention): `**/*.py` does not reach into `.venv`.
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: false };

/** Compiles `watch` patterns; throws DD_ERR_CONFIG_INVALID for one that leaves the cwd. */
export function compileWatchPatterns(patterns: readonly string[]): WatchMatcher {
  const positives: Positive[] = [];
  const negatives: picomatch.Matcher[] = [];
  // A negation ending in `/**` excludes whole folders, which can then be pruned.
  const negatedDirs: picomatch.Matcher[] = [];
  for (const raw of patterns) {
    const isNegated = raw.startsWith("!");
    const glob = normalizePattern(isNegated ? raw.slice(1) : raw, raw);
    if (isNegated) {
      negatives.push(picomatch(glob, GLOB_OPTIONS));
      if (glob.endsWith("/**")) negatedDirs.push(picomatch(glob.slice(0, -3), GLOB_OPTIONS));
    } else {
      positives.push({ isMatch: picomatch(glob, GLOB_OPTIONS), segments: splitSegments(glob) });
    }
  }
  // Only negations ("everything but …"): everything is watched but what they exclude.
  if (positives.length === 0) positives.push({ isMatch: picomatch("**", GLOB_OPTIONS), segments: ["**"] });
  const ignoredDirs = DEFAULT_IGNORED_DIRS.filter((dir) => !positives.some((p) => p.segments?.includes(dir) ?? false));
  const isDefaultIgnored = (segs: readonly string[]) => segs.some((seg) => ignoredDirs.includes(seg));

  return {
    matches(relPath) {
      if (isDefaultIgnored(relPath.split("/"))) return false;
      return positives.some((p) => p.isMatch(relPath)) && !negatives.some((isMatch) => isMatch(relPath));
    },
    isPrunedDir(relDir) {
      if (relDir === "" || relDir === ".") return false;
      const segs = relDir.split("/");
      if (isDefaultIgnored(segs)) return true;
      if (negatedDirs.some((isMatch) => isMatch(relDir))) return true;
      return !positives.some((p) => p.segments === null || couldMatchBelow(p.segments, 0, segs, 0));
    },
  };
}

function normalizePattern(glob: string, raw: string): string {
  let out = glob;
  while (out.startsWith("./")) out = out.slice(2);
  if (out === "" || out.startsWith("/") || out.split("/").includes("..")) {
    throw errors.DD_ERR_CONFIG_INVALID(`watch pattern '${raw}' must be a glob relative to the service's cwd, without '..'`);
  }
  return out;
}

/** The pattern's `/`-separated segments, or null when a `{…}`, `(…)` or `[…]` contains a `/`. */
function splitSegments(glob: string): string[] | null {
  let depth = 0;
  for (const ch of glob) {
    if (ch === "{" || ch === "(" || ch === "[") depth++;
    else if ((ch === "}" || ch === ")" || ch === "]") && depth > 0) depth--;
    else if (ch === "/" && depth > 0) return null;
  }
  return glob.split("/").filter((seg) => seg !== "");
}

const segmentMatchers = new Map<string, picomatch.Matcher>();

function segmentMatches(glob: string, name: string): boolean {
  let isMatch = segmentMatchers.get(glob);
  if (!isMatch) {
    isMatch = picomatch(glob, GLOB_OPTIONS);
    segmentMatchers.set(glob, isMatch);
  }
  return isMatch(name);
}

/** Whether pattern segments pat[i…] could match some path strictly below the folder dir[j…]. */
function couldMatchBelow(pat: readonly string[], i: number, dir: readonly string[], j: number): boolean {
  const seg = pat[i];
  if (j === dir.length) return seg !== undefined;
  const name = dir[j] as string;
  if (seg === undefined) return false;
  if (seg === "**") {
    // `**` matches zero segments, or swallows this one (never a dot-folder, as picomatch with dot: false).
    return couldMatchBelow(pat, i + 1, dir, j) || (!name.startsWith(".") && couldMatchBelow(pat, i, dir, j + 1));
  }
  return segmentMatches(seg, name) && couldMatchBelow(pat, i + 1, dir, j + 1);
}
