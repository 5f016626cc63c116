#!/usr/bin/env node
// Builds the web app (web/ → web/dist) with Vite's JS API.
// Usage: node scripts/build-web.mjs [--if-stale]
//   --if-stale  skip when web/dist/index.html is newer than every source file of the web app.
// When Vite is not installed (a production install without dev dependencies) and a build exists, it is kept.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(repo, "web");
const distIndex = path.join(web, "dist", "index.html");
const configFile = path.join(web, "vite.config.ts");
const ifStale = process.argv.includes("--if-stale");

/** Newest modification time among the files under `target` (a file or a folder), or 0 when absent. */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

function isFresh() {
  if (!existsSync(distIndex)) return false;
  const built = statSync(distIndex).mtimeMs;
  const sources = [path.join(web, "src"), path.join(web, "public"), path.join(web, "index.html"), configFile];
  return sources.every((source) => newestMtime(source) < built);
}

if (ifStale && isFresh()) {
  console.log("web: web/dist is up to date");
  process.exit(0);
}

let vite;
try {
  vite = await import("vite");
} catch (error) {
  const missing =
    error && typeof error === "object" && "code" in error && error.code === "ERR_MODULE_NOT_FOUND";
  if (!missing) throw error;
  if (existsSync(distIndex)) {
    console.log("web: vite is not installed; keeping the existing web/dist");
    process.exit(0);
  }
  // A production install (no dev dependencies) must not fail over the web app: the API still works.
  const message = "web: vite is not installed and web/dist is missing; the web app will not be served";
  if (ifStale) {
    console.warn(`${message} (install dev dependencies, then run npm run build:web)`);
    process.exit(0);
  }
  console.error(message);
  process.exit(1);
}

const started = Date.now();
try {
  await vite.build({ configFile, logLevel: "warn" });
} catch (error) {
  console.error(`web: build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
console.log(`web: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)}s`);
