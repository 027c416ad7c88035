// Checks across fields and services that the schema cannot express; each problem names its path, and
// load.ts turns paths into lines (SPEC.md: an error names the file, the line and the field).
import { isDevdeckError } from "../errors.ts";
import { compileWatchPatterns } from "../watch/patterns.ts";
import type { ServiceSpec } from "./types.ts";

/** A field's place in the file: keys, and list indices as numbers. */
export type Path = ReadonlyArray<string | number>;
/** The line of a field's key or value. */
export type Locate = (path: Path, part: "key" | "value") => number;
/** One problem of a config file. */
export interface Problem {
  line: number;
  path: Path;
  text: string;
}

/** Reports each `watch` entry the watcher would refuse (absolute, `..`): it compiles them only at start. */
export function checkWatch(patterns: string[], at: (field: Path, text: string) => void): void {
  const problemOf = (list: string[]) => {
    try {
      compileWatchPatterns(list);
      return null;
    } catch (err) {
      if (isDevdeckError(err)) return err.message;
      throw err;
    }
  };
  if (problemOf(patterns) === null) return;
  // Compiled one by one only to name the entry (and its line) at fault.
  let isNamed = false;
  patterns.forEach((pattern, i) => {
    const problem = problemOf([pattern]);
    if (problem === null) return;
    isNamed = true;
    at(["watch", i], problem);
  });
  if (!isNamed) at(["watch"], problemOf(patterns) ?? "is not a valid list of globs");
}

/** Reports service names that differ from an earlier one only in case. */
export function checkNameCase(names: string[], problems: Problem[], locate: Locate): void {
  // The proxy matches host names case-insensitively (NAME.localhost): `Web` and `web` would share one host.
  const firstByLower = new Map<string, string>();
  for (const name of names) {
    const first = firstByLower.get(name.toLowerCase());
    if (first === undefined) {
      firstByLower.set(name.toLowerCase(), name);
      continue;
    }
    const path = ["services", name];
    const firstLine = locate(["services", first], "key");
    problems.push({ line: locate(path, "key"), path, text: `differs from '${first}' (line ${firstLine}) only in case; service names are matched case-insensitively` });
  }
}

/** Reports depends_on entries naming unknown services, and cycles (else nothing could ever start). */
export function checkDependencies(services: ServiceSpec[], names: Set<string>, problems: Problem[], locate: Locate): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const svc of services) {
    svc.dependsOn.forEach((dep, i) => {
      if (names.has(dep)) return;
      const path = ["services", svc.name, "depends_on", i];
      problems.push({ line: locate(path, "value"), path, text: `names an unknown service '${dep}'` });
    });
  }
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    const cycleStart = trail.indexOf(name);
    if (cycleStart >= 0) {
      const cycle = [...trail.slice(cycleStart), name];
      const path = ["services", trail[trail.length - 1] ?? name, "depends_on"];
      problems.push({ line: locate(path, "key"), path, text: `forms a cycle: ${cycle.join(" → ")}` });
      return;
    }
    if (done.has(name)) return;
    done.add(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) if (byName.has(dep)) visit(dep, [...trail, name]);
  };
  for (const svc of services) visit(svc.name, []);
}
