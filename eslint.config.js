// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bench/results/**", "test/e2e/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // TypeScript itself checks names; plain JS fixtures and examples run on Node.
    files: ["**/*.ts", "**/*.tsx"],
    rules: { "no-undef": "off" },
  },
  {
    files: ["client/**"],
    languageOptions: { globals: { ...globals.browser } },
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
