// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bench/results/**", "test/e2e/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", setTimeout: "readonly", clearTimeout: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    files: ["shared/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "../server/*", "../client/*"], message: "shared/ stays pure: no node:*, no server or client code" }] }],
    },
  },
  {
    files: ["client/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "**/server/**"], message: "the client talks to the server only through shared/ and the network" }] }],
    },
  },
  {
    files: ["server/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/client/**"], message: "the server never imports client code" }] }],
    },
  },
);
