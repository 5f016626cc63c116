import type { FastifyBaseLogger } from "fastify";
import { WorkflowEngine } from "../workflow/engine";
import { SEAL_BATCH, sealPending } from "./audit/audit";
import { CalendarService } from "./calendar/calendar.service";
import type { Config } from "./config/config";
import { currentSigningKey, loadMasterKey, type SigningKey } from "./crypto/keys";
import { type Database, type Db, migrateDatabase, openDatabase } from "./db/db";
import { registerDeadlineJobs } from "./deadlines/deadlines";
import { EventBus } from "./events/events";
import { NatsTransport } from "./events/nats";
import { type Clock, systemClock } from "./http/context";
import { SessionResolver } from "./identity/sessions";
import { logSmsGateway, noSmsGateway } from "./identity/sms";
import { JobRunner } from "./jobs/jobs";
import { LoadGauge } from "./load";
import { pruneExpired, vacuumEmbedded } from "./maintenance";
import type { Platform } from "./platform";

/** Under load: records per sealing step, and how often a step may also be signed. */
const SEAL_STEP_UNDER_LOAD = 100;
const SIGN_EVERY_UNDER_LOAD_MS = 10_000;

/**
 * Seals everything pending, one small transaction at a time. While requests keep the process busy,
 * a pass seals one small step and signs it only every SIGN_EVERY_UNDER_LOAD_MS (an SM2 signature
 * costs ~20 ms of this thread, which the requests would wait for); the rest waits for the next
 * pass, and when the load eases the sealer catches up at full speed and signs its last head. The
 * audit records are committed with their changes either way: under load only sealing lags (ADR 5).
 */
async function sealAll(
  db: Db,
  key: SigningKey,
  clock: Clock,
  gauge: LoadGauge | null,
  state: { lastSigned: number },
): Promise<number> {
  let total = 0;
  for (;;) {
    const active = gauge?.active() ?? false;
    const limit = active ? SEAL_STEP_UNDER_LOAD : SEAL_BATCH;
    const signNow = performance.now() - state.lastSigned >= SIGN_EVERY_UNDER_LOAD_MS;
    const sign = active ? signNow : "if-last";
    const sealed = await sealPending(db, key, clock, { sign, limit });
    if (sealed > 0 && (sign === true || (sign === "if-last" && sealed < limit))) {
      state.lastSigned = performance.now();
    }
    total += sealed;
    if (sealed < limit || active) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface PlatformOptions {
  config: Config;
  log: FastifyBaseLogger;
  clock?: Clock;
  /** An already open database (tests hand in a cloned one); otherwise opened from config. */
  database?: Database;
  /** NATS stream name (tests use their own). */
  natsStream?: string;
}

/** Opens the database, migrates, and builds the kernel's services. Nothing runs until start(). */
export async function createPlatform(
  options: PlatformOptions,
): Promise<Platform & { stop(): Promise<void>; startWorkers(): void }> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: config.databaseUrl ? null : `${config.dataDir}/pg`,
    }));
  await migrateDatabase(database);
  const db = database.db;
  const masterKey = loadMasterKey(config.masterKeyHex, config.dataDir);
  const auditKey = await currentSigningKey(db, masterKey, "audit");
  const nats = config.natsUrl ? await NatsTransport.connect(config.natsUrl, log, options.natsStream) : null;
  const gauge = new LoadGauge();
  const events = new EventBus(db, log, nats, 200, gauge);
  const jobs = new JobRunner(db, clock, log, config.jobPollIntervalMs);
  const calendar = new CalendarService(db);
  await calendar.load();
  let sealTimer: NodeJS.Timeout | null = null;
  const signing = { lastSigned: 0 };
  let sealing: Promise<unknown> | null = null;
  let calendarTimer: NodeJS.Timeout | null = null;
  let pruneTimer: NodeJS.Timeout | null = null;
  let vacuumTimer: NodeJS.Timeout | null = null;
  registerDeadlineJobs(jobs, calendar);
  const platform: Platform = {
    config,
    database,
    db,
    clock,
    log,
    masterKey,
    auditKey,
    events,
    jobs,
    sessions: new SessionResolver(db, clock),
    sms: config.demo ? logSmsGateway(log) : noSmsGateway,
    calendar,
    workflow: new WorkflowEngine({ db, clock, log, calendar, jobs }),
  };
  return {
    ...platform,
    startWorkers() {
      if (!config.roles.worker) return;
      void events.start();
      jobs.start();
      const seal = () => {
        sealing = sealAll(db, auditKey, clock, gauge, signing)
          .catch((e) => log.error({ err: e }, "audit sealing failed"))
          .finally(() => {
            sealTimer = setTimeout(seal, config.auditSealIntervalMs);
          });
      };
      sealTimer = setTimeout(seal, config.auditSealIntervalMs);
      // Another process may have replaced a year's schedule; pick it up within a minute.
      calendarTimer = setInterval(() => {
        calendar.reload().catch((e) => log.warn({ err: e }, "calendar reload failed"));
      }, 60_000);
      calendarTimer.unref();
      pruneTimer = setInterval(() => {
        pruneExpired(db, clock.now()).catch((e) => log.warn({ err: e }, "pruning expired rows failed"));
      }, 3_600_000);
      pruneTimer.unref();
      if (database.kind === "pglite") {
        const vacuum = () => {
          vacuumEmbedded(db, { busy: gauge.active() }).catch((e) =>
            log.warn({ err: e }, "vacuum/analyze of the embedded database failed"),
          );
        };
        vacuumTimer = setInterval(vacuum, 10_000);
        vacuumTimer.unref();
      }
    },
    async stop() {
      if (sealTimer) clearTimeout(sealTimer);
      if (calendarTimer) clearInterval(calendarTimer);
      if (pruneTimer) clearInterval(pruneTimer);
      if (vacuumTimer) clearInterval(vacuumTimer);
      sealTimer = null;
      await sealing;
      await events.stop();
      await jobs.stop();
      // Seal what was written up to now, so a clean shutdown leaves nothing unsealed.
      gauge.stop();
      if (config.roles.worker) await sealAll(db, auditKey, clock, null, signing).catch(() => 0);
      if (sealTimer) clearTimeout(sealTimer);
      await nats?.close();
      await database.close();
    },
  };
}
