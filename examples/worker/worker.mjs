// A background worker that prints steadily, in colour, with the odd warning on stderr.
const colours = [31, 32, 33, 34, 35, 36];
const queue = process.env.QUEUE ?? "default";
let job = 0;

console.log(`worker listening on queue \x1b[1m${queue}\x1b[0m (every ${process.env.TICK_MS ?? 1000} ms)`);
setInterval(() => {
  job += 1;
  const c = colours[job % colours.length];
  console.log(`\x1b[${c}mjob ${job}\x1b[0m processed in ${(Math.random() * 90 + 10).toFixed(1)} ms`);
  if (job % 7 === 0) console.error(`warning: job ${job} took longer than expected, see https://example.com/jobs/${job}`);
}, Number(process.env.TICK_MS ?? 1000));
