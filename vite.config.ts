import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The UI is built into dist/client; the console serves it from there (server/http/static.ts).
export default defineConfig({
  root: "client",
  plugins: [preact()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
  },
});
