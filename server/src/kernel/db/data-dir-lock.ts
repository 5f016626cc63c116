import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The data folder ${dataDir} is already in use by process ${holderPid}. ` +
        "The embedded database allows one process per folder: stop the other process, " +
        "or give this one another DATA_DIR, or use PostgreSQL with DATABASE_URL.",
    );
  }
}

const LOCK_FILE = "fourfold.lock";

/** Linux process start time (clock ticks since boot) guards against a recycled pid. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command name (field 2) may contain spaces, so count from its closing paren.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number, startTime: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  const now = processStartTime(pid);
  return startTime === null || now === null || now === startTime;
}

/**
 * Takes the exclusive lock of a data folder before the embedded database is opened, because two
 * processes opening one PGlite folder corrupt it. A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, content);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder: { pid: number; start: string | null } | null = null;
      try {
        holder = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        holder = null; // A half-written lock from a crash mid-write.
      }
      if (holder && holder.pid !== process.pid && isAlive(holder.pid, holder.start)) {
        throw new DataDirLockedError(dataDir, holder.pid);
      }
      try {
        unlinkSync(file);
      } catch {
        // Another process removed it first; retry the exclusive create.
      }
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
