// The human words for lifecycle events: the one place that writes exit and restart messages.

/** What is known about how a run ended: the input of describeExit. */
export interface ExitFacts {
  code: number | null;
  signal: string | null;
  /** The command ran through a shell: 127 and 126 are the shell's "not found" / "not executable". */
  isShell: boolean;
  /** Last stderr line of the run, to name what the shell did not find. */
  lastStderr: string;
  /** The stop was asked for (stop/restart), not an exit of the service's own. */
  wasRequested: boolean;
  /** SIGKILL was needed after `stopTimeoutMs` because `stopSignal` did not end the tree. */
  wasKilled: boolean;
  stopSignal: string;
  stopTimeoutMs: number;
}

/** Seconds for humans: 5000 → "5 s", 1500 → "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Exit code 127/126 of a shell: the command could not start at all (restarting will not help). */
export function isStartFailure(code: number | null, isShell: boolean): boolean {
  return isShell && (code === 127 || code === 126);
}

/** "exited with code 1", "killed by SIGKILL after 5 s", "command not found: foo (exit code 127)" … */
export function describeExit(f: ExitFacts): string {
  if (f.wasKilled) return `${f.wasRequested ? "stopped: " : ""}killed by SIGKILL after ${formatSeconds(f.stopTimeoutMs)} (${f.stopSignal} did not end it)`;
  const how = describeStatus(f);
  return f.wasRequested ? `stopped (${how})` : how;
}

function describeStatus(f: ExitFacts): string {
  if (f.signal !== null) return `killed by ${f.signal}`;
  if (f.code === null) return "ended";
  if (isStartFailure(f.code, f.isShell)) {
    const what = f.code === 127 ? "command not found" : "command not executable";
    const name = f.code === 127 ? /([^:\s]+): (?:command )?not found\s*$/.exec(f.lastStderr)?.[1] : /([^:\s]+): Permission denied\s*$/.exec(f.lastStderr)?.[1];
    return `${what}${name ? `: ${name}` : ""} (the shell exited with code ${f.code})`;
  }
  return `exited with code ${f.code}`;
}

/** "restarting in 2 s (attempt 3)". */
export function describeRestart(delayMs: number, attempt: number): string {
  return `restarting in ${formatSeconds(delayMs)} (attempt ${attempt})`;
}
