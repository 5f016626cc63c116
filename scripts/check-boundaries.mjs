#!/usr/bin/env node
// Module boundaries, checked on every `npm run lint`:
//  1. a network module reaches another only through that module's index.ts;
//  2. the kernel and the workflow engine never import a network module;
//  3. inside a feature, imports run routes → service → queries, never backwards.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const src = path.join(root, "server/src");
const modulesDir = path.join(src, "modules");

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (/\.tsx?$/.test(name)) yield full;
  }
}

const moduleOf = (file) => {
  const rel = path.relative(modulesDir, file);
  return rel.startsWith("..") ? null : rel.split(path.sep)[0];
};
const layer = (file) => /\.(routes|service|queries)\.ts$/.exec(file)?.[1] ?? null;
const rank = { routes: 0, service: 1, queries: 2 };

const problems = [];
for (const file of files(src)) {
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+["'](\.[^"']+)["']/g)) {
    const target = path.resolve(path.dirname(file), match[1]);
    const from = moduleOf(file);
    const to = moduleOf(target);
    const where = `${path.relative(root, file)} imports ${match[1]}`;
    if (to && from !== to) {
      const entry = path.join(modulesDir, to);
      if (target !== entry && target !== path.join(entry, "index")) {
        problems.push(`${where}: reach module "${to}" through its index.ts only`);
      }
    }
    const inCore =
      !from &&
      !path.relative(src, file).startsWith("..") &&
      /^(kernel|workflow)\//.test(path.relative(src, file));
    if (inCore && to)
      problems.push(`${where}: the kernel and workflow engine must not depend on a network module`);
    const a = layer(file);
    const b = layer(`${target}.ts`);
    if (a && b && rank[b] < rank[a])
      problems.push(`${where}: ${a} must not import ${b} (routes → service → queries)`);
  }
}
if (problems.length > 0) {
  console.error(`Module boundary violations:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("Module boundaries: ok");
