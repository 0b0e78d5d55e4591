// @ts-check
import { readdirSync } from "node:fs";

import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// Imports flow one way, as in bulletproof-react: app -> features -> shared
// (components, config, lib, types, hooks). Shared code never reaches up, and a feature
// never imports another one: what two features share moves down to a shared folder,
// and the app layer composes features (passing one's data into another's component).
const shared = ["./src/components", "./src/config", "./src/lib", "./src/types", "./src/hooks"];
// Every folder under src/features is a zone, so a new feature is fenced in as it appears.
const features = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const layering = [
  { target: "./src/features", from: "./src/app", message: "features must not import the app layer" },
  ...features.map((name) => ({
    target: `./src/features/${name}`,
    from: "./src/features",
    except: [`./${name}`],
    message: "a feature must not import another feature: move the shared part to a shared folder or compose in src/app",
  })),
  ...shared.map((target) => ({
    target,
    from: ["./src/features", "./src/app"],
    message: "shared code must not import features or the app layer",
  })),
];

export default tseslint.config(
  // api.gen.ts is openapi-typescript's output (npm run gen:api), checked by tsc, not styled by us.
  { ignores: ["dist", "node_modules", "playwright-report", "test-results", "src/types/api.gen.ts"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  importX.flatConfigs.recommended,
  importX.flatConfigs.typescript,
  {
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.app.json" })],
    },
    rules: {
      "import-x/order": [
        "error",
        {
          groups: ["builtin", "external", "internal", ["parent", "sibling", "index"]],
          pathGroups: [{ pattern: "@/**", group: "internal" }],
          "newlines-between": "always",
          alphabetize: { order: "asc", caseInsensitive: true },
        },
      ],
      "import-x/no-restricted-paths": ["error", { zones: layering }],
      "import-x/no-named-as-default-member": "off",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat["recommended-latest"],
  },
  {
    files: ["e2e/**/*.ts", "*.config.{ts,js}", "scripts/**/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["eslint.config.js", "scripts/**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
