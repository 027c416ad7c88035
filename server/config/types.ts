// The resolved config every other module reads: defaults applied, paths absolute. Built by config/load.ts.

export type RestartPolicy = "no" | "on-failure" | "always";

export interface ReadySpec {
  /** Regex tested against each stdout/stderr line. */
  log: RegExp | null;
  /** TCP port that must accept a connection (on 127.0.0.1, then ::1). */
  port: number | null;
  /** URL that must answer with any HTTP status. */
  http: string | null;
}

export interface ServiceSpec {
  name: string;
  /** string: run by the shell; array: argv, no shell. */
  cmd: string | string[];
  /** Absolute working directory. */
  cwd: string;
  /** `env` of the config (wins over env_file). */
  env: Record<string, string>;
  /** Absolute path of the env file, read again at every start; null when none. */
  envFile: string | null;
  /** true for a Procfile's `.env`: a missing file is not an error. */
  envFileOptional: boolean;
  port: number | null;
  autostart: boolean;
  restart: RestartPolicy;
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  /** null: no probe (running once spawned). A `port` alone implies { port }. */
  ready: ReadySpec | null;
  url: string | null;
  watch: string[];
  dependsOn: string[];
  pty: boolean;
  /** Sets FORCE_COLOR and friends in the environment (extension `color: false` turns it off). */
  color: boolean;
}

export interface ConsoleSpec {
  buffer: number;
  maxLineBytes: number;
  allowedHosts: string[];
  auth: "auto" | "token";
  proxy: { port: number } | null;
}

export interface ResolvedConfig {
  /** Real absolute path of the config file. */
  file: string;
  /** Its folder: relative paths start here. */
  dir: string;
  /** In file order. */
  services: ServiceSpec[];
  console: ConsoleSpec;
}
