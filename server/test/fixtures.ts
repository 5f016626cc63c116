import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./process";

/**
 * The public reference data (BPMN MIWG models, DCAT-AP shapes) that tests read but the project does
 * not copy: `../shared/fixtures` beside the checkout, or beside the repository a clone was made
 * from (a fresh clone in a temporary folder), or FIXTURES_DIR.
 */
export function fixturesDir(): string {
  const candidates = [process.env.FIXTURES_DIR, path.resolve(ROOT, "../shared/fixtures")];
  const near = candidates.find((dir): dir is string => Boolean(dir && existsSync(dir)));
  if (near) return near;
  const origin = cloneOrigin();
  if (origin) {
    const besideOrigin = path.resolve(ROOT, origin, "../shared/fixtures");
    if (existsSync(besideOrigin)) return besideOrigin;
    candidates.push(besideOrigin);
  }
  throw new Error(
    `The reference fixtures are not found (looked in ${candidates.filter(Boolean).join(", ")}); set FIXTURES_DIR`,
  );
}

/** The local path this checkout was cloned from, if it was cloned from a local path. */
function cloneOrigin(): string | null {
  try {
    const origin = execFileSync("git", ["-C", ROOT, "remote", "get-url", "origin"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return origin && !/^[\w+.-]+:\/\//.test(origin) && !/^[\w.-]+@/.test(origin) ? origin : null;
  } catch {
    return null; // not a clone, or no origin
  }
}
