// Writes src/types/api.gen.ts from the API's OpenAPI schema, generated offline by
// drf-spectacular (the /api/schema/ endpoint needs a login, and needs a server).
//
//   npm run gen:api                       regenerate the file
//   node scripts/gen-api.mjs --out FILE   write elsewhere (the freshness test does)
//
// Environment: RELAYCORE_PYTHON, the interpreter with the backend installed (default
// ../.venv/bin/python). The schema is always written on the embedded profile: integer
// ranges come from the database backend (SQLite has none, so no `int64` formats), and the
// file must come out the same whichever profile the caller runs.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repository = resolve(frontend, "..");

const { DATABASE_URL: _database, REDIS_URL: _redis, ...embeddedEnv } = process.env;

function run(command, args) {
  const result = spawnSync(command, args, { cwd: frontend, stdio: "inherit", env: embeddedEnv });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

const outIndex = process.argv.indexOf("--out");
const out = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(frontend, "src/types/api.gen.ts");
const python = process.env.RELAYCORE_PYTHON ?? join(repository, ".venv/bin/python");
const work = mkdtempSync(join(tmpdir(), "relaycore-api-"));
try {
  const schema = join(work, "schema.yml");
  run(python, [join(repository, "manage.py"), "spectacular", "--file", schema]);
  run(join(frontend, "node_modules/.bin/openapi-typescript"), [schema, "--output", out]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
