#!/usr/bin/env node
// Regenerates the newest, not yet released migration from the current schema files.
// Usage: node scripts/regen-migration.mjs <idx> <name>   e.g. 2 office
// Only for a migration that has not landed on main: released migrations are never rewritten.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const [idxArg, name] = process.argv.slice(2);
const idx = Number(idxArg);
if (!Number.isInteger(idx) || !name) {
  console.error("usage: node scripts/regen-migration.mjs <idx> <name>");
  process.exit(2);
}
const dir = "server/migrations";
const prefix = String(idx).padStart(4, "0");
const released = execFileSync("git", ["ls-tree", "--name-only", "HEAD", `${dir}/`], { encoding: "utf8" });
if (released.includes(`${dir}/${prefix}_`)) {
  console.error(`${prefix} has landed on main; write a new migration instead`);
  process.exit(1);
}
for (const f of readdirSync(dir)) if (f.startsWith(`${prefix}_`)) rmSync(path.join(dir, f));
rmSync(path.join(dir, "meta", `${prefix}_snapshot.json`), { force: true });
const journalFile = path.join(dir, "meta", "_journal.json");
const journal = JSON.parse(readFileSync(journalFile, "utf8"));
journal.entries = journal.entries.filter((e) => e.idx < idx);
writeFileSync(journalFile, `${JSON.stringify(journal, null, 2)}`);
execFileSync("npx", ["drizzle-kit", "generate", "--name", name], { stdio: "inherit" });
