// `npm run bench`: every benchmark in turn (`-- --lines N --bytes B` to change the workload).
import { parseArgs } from "node:util";
import { runThroughput } from "./throughput.ts";

const { values } = parseArgs({ options: { lines: { type: "string" }, bytes: { type: "string" } } });
await runThroughput(Number(values.lines ?? 500_000), Number(values.bytes ?? 100));
