// Only configuration and the data-folder lock are loaded before the lock is taken, so a second
// process on the same folder is refused at once; the application is imported after it.
import type { seedDemoDistrict, seedInstallation } from "./demo/seed";
import { type Config, ConfigError, loadConfig } from "./kernel/config/config";
import { DataDirLockedError, lockDataDir } from "./kernel/db/data-dir-lock";

const started = performance.now();

function fail(message: string, code = 1): never {
  process.stderr.write(`\nfourfold: ${message}\n\n`);
  process.exit(code);
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(`${e.message}\nFix the variable and start again.`, 2);
    throw e;
  }
}

function lock(config: Config) {
  if (config.databaseUrl) return { release() {} };
  try {
    return lockDataDir(config.dataDir);
  } catch (e) {
    if (e instanceof DataDirLockedError) fail(e.message, 3);
    throw e;
  }
}

/** `audit:verify [--export DIR]`: checks the whole audit log of DATA_DIR or DATABASE_URL. */
async function auditVerify(args: string[]): Promise<void> {
  const config = readConfig();
  const held = lock(config);
  const { migrateDatabase, openDatabase } = await import("./kernel/db/db");
  const { verifyAuditLog } = await import("./kernel/audit/audit");
  const { exportTreeHead } = await import("./kernel/audit/export");
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? null : `${config.dataDir}/pg`,
  });
  try {
    await migrateDatabase(database);
    const report = await verifyAuditLog(database.db);
    const exportAt = args.indexOf("--export");
    if (exportAt >= 0 && args[exportAt + 1]) {
      const files = await exportTreeHead(database.db, args[exportAt + 1]!);
      if (files)
        process.stdout.write(`Latest tree head exported; check it with:\n  ${files.opensslCommand}\n`);
    }
    process.stdout.write(
      `${JSON.stringify({ ...report, database: database.kind }, null, 2)}\n` +
        (report.ok
          ? `Audit log intact: ${report.checkedRecords} records, ${report.checkedHeads} signed tree heads, ${report.unsealed} not yet sealed.\n`
          : `AUDIT LOG TAMPERED: ${report.problems.length} problem(s) found.\n`),
    );
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await database.close();
    held.release();
  }
}

async function serve(): Promise<void> {
  const config = readConfig();
  const held = lock(config);
  const [
    { buildApp },
    { isEmpty, seedDemoDistrict, seedInstallation },
    { seedDemoWorkflow },
    { createPlatform },
  ] = await Promise.all([
    import("./app"),
    import("./demo/seed"),
    import("./demo/workflow"),
    import("./kernel/bootstrap"),
  ]);
  const [{ systemCtx }, { createLogger }, { modules }] = await Promise.all([
    import("./kernel/http/context"),
    import("./kernel/log"),
    import("./modules"),
  ]);
  const log = createLogger(config.logLevel);
  let ready = false;
  const platform = await createPlatform({ config, log });
  let firstStart: Awaited<ReturnType<typeof seedDemoDistrict>> | null = null;
  let installation: Awaited<ReturnType<typeof seedInstallation>> | null = null;
  if (await isEmpty(platform.db)) {
    if (config.demo) firstStart = await seedDemoDistrict(platform);
    else installation = await seedInstallation(platform);
  }
  const app = await buildApp(platform, { isReady: () => ready });
  // After the modules registered their service handlers, which library models may use.
  await platform.db.transaction((tx) =>
    platform.workflow.deployLibrary(systemCtx(tx, platform.clock, log, "startup:process-library")),
  );
  if (firstStart) {
    await seedDemoWorkflow(platform);
    for (const module of modules) await module.seedDemo?.(platform);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await app.close();
    await platform.stop();
    held.release();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  if (config.roles.web) await app.listen({ port: config.port, host: config.host });
  platform.startWorkers();
  ready = true;
  const url = config.publicUrl;
  const lines = [
    "",
    `Fourfold 四网融合 is ready at ${url}  (${platform.database.kind}, ${Math.round(performance.now() - started)} ms)`,
    `  API reference: ${url}/docs   OpenAPI: ${url}/openapi.json`,
  ];
  if (firstStart) {
    lines.push(
      `  Demo district seeded: ${firstStart.counts.departments} departments, ${firstStart.counts.citizens} citizens, ${firstStart.counts.enterprises} enterprises.`,
    );
  }
  if (config.demo) {
    lines.push(`  Demo accounts (also in ${config.dataDir}/demo-accounts.json):`);
    const accounts = await readDemoAccounts(config.dataDir);
    for (const a of accounts) {
      lines.push(
        `    ${a.role.padEnd(12)} ${a.username.padEnd(12)} ${a.password.padEnd(18)} ${a.totpSecret ? `TOTP ${a.totpSecret}` : ""}`,
      );
    }
  }
  if (installation) {
    lines.push(
      "  New installation: sign in as 'admin' with this one-time password (shown only now):",
      `    password: ${installation.password}   TOTP secret: ${installation.totpSecret}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
}

async function readDemoAccounts(
  dataDir: string,
): Promise<{ role: string; username: string; password: string; totpSecret: string | null }[]> {
  const { readFile } = await import("node:fs/promises");
  try {
    return JSON.parse(await readFile(`${dataDir}/demo-accounts.json`, "utf8"));
  } catch {
    return [];
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === "audit:verify") await auditVerify(rest);
else if (command === undefined || command === "serve") await serve();
else fail(`unknown command "${command}"; use "serve" (default) or "audit:verify [--export DIR]"`, 2);
