// ESLint for the TypeScript side (Solidity has solhint): `npm run lint`, zero warnings, part of
// `npm test`. Type-aware rules run with typescript-eslint's project service (the root and the
// frontend tsconfig); the app also gets the React hooks rules.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "types/",
      "coverage/",
      "frontend/dist/",
      "dist/", // static builds of the web app (scripts/build-web.ts) and the server's bundle (scripts/lib/server-bundle.ts)
      "test-results/",
      // AssemblyScript, checked by `graph build`
      "subgraph/",
      // generated from the contracts' artifacts and the schema (never edited by hand)
      "lib/abi/",
      "server/indexer/generated/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mts}"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // A promise nobody awaits loses its error (an unhandled rejection) or its ordering.
      "@typescript-eslint/no-floating-promises": "error",
      // An async callback where a void one is expected (event handlers, forEach) swallows errors.
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-for-in-array": "error",
      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["frontend/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
