// Starts, works for a moment, then crashes: shows devdeck's crash panel and restart backoff.
console.log("flaky: connecting to the imaginary database…");
setTimeout(() => {
  console.error("\x1b[31mError: connection refused (127.0.0.1:5999)\x1b[0m");
  console.error("    at connect (flaky.mjs:4:11)");
  process.exit(3);
}, 1500);
