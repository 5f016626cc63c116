import path from "node:path";
import type { FastifyInstance } from "fastify";
import { appendAudit } from "../../../kernel/audit/audit";
import { sm3 } from "../../../kernel/crypto/sm";
import type { DomainEvent } from "../../../kernel/events/events";
import { type Ctx, systemCtx } from "../../../kernel/http/context";
import type { Platform } from "../../../kernel/platform";
import type { NoticeCreatedV1 } from "../notices/notices.service";
import { findAccountByUser, insertAccountsByUsername } from "./accounts.queries";
import { registerAccountRoutes } from "./accounts.routes";
import { registerActionRoutes } from "./actions.routes";
import { DELIVER_JOB, deliver, type MobileSettings, pushNotice, syncInstanceCards } from "./push.service";
import { MobileAppSimulator } from "./simulator/simulator";
import { registerSimulatorRoutes, SIMULATOR_PATH } from "./simulator/simulator.routes";

/**
 * The provincial mobile government app adapter (粤政易, docs/integrations/yuezhengyi.md): account
 * links, pushes of tasks and notices as signed webhooks, actions taken in the app, and — when
 * MOBILE_APP_SIMULATOR is on — a simulator of the app mounted on this server.
 */

const simulators = new WeakMap<FastifyInstance, MobileAppSimulator>();

/** The simulator mounted on an app (tests drive it directly). */
export function simulatorOf(app: FastifyInstance): MobileAppSimulator | undefined {
  return simulators.get(app);
}

/** Where this server can be reached from itself: its listening address, or PUBLIC_URL. */
function ownBaseUrl(app: FastifyInstance, platform: Platform): string {
  const address = app.server.address();
  if (address && typeof address === "object") {
    const host = ["0.0.0.0", "::", ""].includes(address.address)
      ? "127.0.0.1"
      : address.family === "IPv6"
        ? `[${address.address}]`
        : address.address;
    return `http://${host}:${address.port}`;
  }
  return platform.config.publicUrl;
}

/** The adapter's settings, or null when neither a real app nor the simulator is configured. */
export function mobileSettings(app: FastifyInstance, platform: Platform): MobileSettings | null {
  const config = platform.config.mobileApp;
  if (!config.webhookUrl && !config.simulator) return null;
  return {
    appId: config.appId,
    // Without a configured secret (simulator only) one is derived from the master key: stable
    // across restarts, different for every installation.
    secret:
      config.secret ??
      sm3(Buffer.concat([Buffer.from("mobile-app-secret:"), platform.masterKey])).toString("hex"),
    webhookUrl: () => config.webhookUrl ?? `${ownBaseUrl(app, platform)}${SIMULATOR_PATH}/webhook`,
    publicUrl: platform.config.publicUrl,
  };
}

export function registerMobile(app: FastifyInstance, platform: Platform): void {
  const settings = mobileSettings(app, platform);
  registerAccountRoutes(app, platform, settings);
  registerActionRoutes(app, platform, settings);
  if (!settings) return;

  const inTransaction = (name: string, event: DomainEvent, work: (ctx: Ctx) => Promise<number>) =>
    platform.db
      .transaction((tx) => work(systemCtx(tx, platform.clock, platform.log, `event:${event.id}`)))
      .then((scheduled) => {
        if (scheduled > 0) platform.jobs.wake();
      })
      .catch((e) => {
        platform.log.warn({ err: e, subscription: name }, "mobile push failed; the event will come again");
        throw e;
      });
  const topics = {
    "office.mobile.task-created": "workflow.task.created",
    "office.mobile.task-completed": "workflow.task.completed",
    "office.mobile.task-assigned": "workflow.task.assigned",
    "office.mobile.instance-completed": "workflow.instance.completed",
    "office.mobile.instance-cancelled": "workflow.instance.cancelled",
  };
  for (const [name, topic] of Object.entries(topics)) {
    platform.events.subscribe(name, topic, (event) =>
      inTransaction(name, event, (ctx) => {
        const { instanceId, taskId } = event.payload as { instanceId: string; taskId?: string };
        return syncInstanceCards(ctx, platform.workflow, settings, instanceId, taskId);
      }),
    );
  }
  platform.events.subscribe("office.mobile.notice-created", "office.notice.created", (event) =>
    inTransaction("office.mobile.notice-created", event, (ctx) =>
      pushNotice(ctx, settings, event.payload as NoticeCreatedV1),
    ),
  );
  // The webhook call holds no transaction while it waits for the app.
  platform.jobs.register(
    DELIVER_JOB,
    (ctx, payload, job) =>
      deliver(ctx, settings, (payload as { deliveryId: string }).deliveryId, job.attempts),
    { outside: true },
  );

  if (platform.config.mobileApp.simulator) {
    const simulator = new MobileAppSimulator({
      appId: settings.appId,
      secret: settings.secret,
      clock: platform.clock,
      stateFile: path.join(platform.config.dataDir, "mobile-app-simulator.json"),
      platformUrl: () => ownBaseUrl(app, platform),
      log: platform.log,
    });
    registerSimulatorRoutes(
      app,
      simulator,
      async (userId) => (await findAccountByUser(platform.db, userId))?.openId ?? null,
    );
    simulators.set(app, simulator);
  }
}

/**
 * On a new demo district with the simulator on, the demo's staff accounts get simulated 粤政易
 * accounts (open id "yzy-<username>"), so the work the demo starts shows on their phones.
 */
export async function linkDemoMobileAccounts(platform: Platform, usernames: string[]): Promise<number> {
  if (!platform.config.mobileApp.simulator) return 0;
  return platform.db.transaction(async (tx) => {
    const linked = await insertAccountsByUsername(
      tx,
      usernames.map((username) => ({ username, openId: `yzy-${username}` })),
      platform.clock.now().toISOString(),
    );
    await appendAudit(
      tx,
      { actor: null, ip: null, requestId: "seed", clock: platform.clock },
      {
        action: "office.mobile-account.linked",
        resourceType: "mobile-account",
        details: { demo: true, simulator: true, accounts: linked },
      },
    );
    return linked;
  });
}
