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
  try {
    const origin = execFileSync("git", ["-C", ROOT, "remote", "get-url", "origin"], {
      encoding: "utf8",
    }).trim();
    if (origin && !/^[\w+.-]+:\/\//.test(origin) && !/^[\w.-]+@/.test(origin)) {
      candidates.push(path.resolve(ROOT, origin, "../shared/fixtures"));
    }
  } catch {
    // not a clone, or no origin: only the other places count
  }
  const found = candidates.find((dir): dir is string => Boolean(dir && existsSync(dir)));
  if (!found) {
    throw new Error(
      `The reference fixtures are not found (looked in ${candidates.filter(Boolean).join(", ")}); set FIXTURES_DIR`,
    );
  }
  return found;
}
