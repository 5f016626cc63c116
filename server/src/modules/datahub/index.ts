import path from "node:path";
import { fileURLToPath } from "node:url";
import { systemCtx } from "../../kernel/http/context";
import type { Module } from "..";
import { registerCatalogRoutes } from "./catalog/catalog.routes";
import { seedDatahubDemo } from "./demo";
import { registerExchangeRoutes } from "./exchange/exchange.routes";
import { Gateway } from "./exchange/gateway";
import { TokenService } from "./exchange/tokens";
import { registerMasterDataRoutes } from "./masterdata/masterdata.routes";
import { dataKeysFrom } from "./records/protection";
import { registerResponsibilityRoutes } from "./responsibility/responsibility.routes";
import { answerErrorReport } from "./responsibility/responsibility.service";
import { findRequestRow } from "./sharing/sharing.queries";
import { registerSharingRoutes } from "./sharing/sharing.routes";
import { escalateRequest, expireGrant, GRANT_EXPIRY_JOB, requestStep } from "./sharing/sharing.service";
import { registerUsageRoutes } from "./usage.routes";

export { prefill } from "./masterdata/registry.service";
export { fieldsOf, type MasterBase } from "./masterdata/standardise/fields";

const PROCESSES = path.join(path.dirname(fileURLToPath(import.meta.url)), "processes");

/**
 * 一网共享 — Data sharing: the resource catalog (DCAT-AP export), the responsibility list and error
 * reports, sharing requests on the workflow engine, grants, the exchange gateway, and the master data
 * (人口库 / 法人库) fused from the departments' sources with its registry API.
 * The only import surface of this module for the rest of the platform.
 */
export const datahubModule: Module = {
  name: "datahub",
  title: "一网共享",
  async register(app, platform) {
    const settings = platform.config.datahub;
    const keys = dataKeysFrom(settings.dataKeys, platform.masterKey);
    const tokens = new TokenService(platform.db, platform.masterKey, platform.config.publicUrl);
    const gateway = new Gateway({
      db: platform.db,
      clock: platform.clock,
      log: platform.log,
      keys,
      tokens,
      poolSize: platform.database.kind === "postgres" ? 10 : 1,
    });
    const engine = platform.workflow;

    engine.registerHandler("datahub.request.step", async (task) => {
      const ctx = systemCtx(task.tx, platform.clock, task.log, task.idempotencyKey);
      const request = task.businessKey ? await findRequestRow(task.tx, task.businessKey, true) : null;
      if (!request) throw new Error(`data-sharing-request ${task.instanceId} has no request`);
      await requestStep(ctx, engine, settings, request, task.elementId, task.instanceId);
      return undefined;
    });
    engine.registerHandler("datahub.request.escalate", async (task) => {
      const ctx = systemCtx(task.tx, platform.clock, task.log, task.idempotencyKey);
      const request = task.businessKey ? await findRequestRow(task.tx, task.businessKey, true) : null;
      if (request) await escalateRequest(ctx, request, task.elementId);
      return undefined;
    });
    engine.registerHandler("datahub.error-report.answer", async (task) => {
      const ctx = systemCtx(task.tx, platform.clock, task.log, task.idempotencyKey);
      if (task.businessKey) await answerErrorReport(ctx, engine, task.businessKey, task.instanceId);
      return undefined;
    });
    engine.addLibrary(PROCESSES);
    platform.jobs.register(GRANT_EXPIRY_JOB, (ctx, payload) =>
      expireGrant(ctx, (payload as { grantId: string }).grantId),
    );
    // A grant revoked or expired, or a resource changed, in any server process: forget what is cached.
    platform.events.subscribe("datahub.gateway-cache", "datahub.*", async (event) => {
      if (/^datahub\.(grant\.(revoked|expired)|resource\.(updated|withdrawn))$/.test(event.topic))
        gateway.forget();
    });

    registerCatalogRoutes(app, platform, keys);
    registerResponsibilityRoutes(app, platform);
    registerSharingRoutes(app, platform, settings, () => gateway.forget());
    registerExchangeRoutes(app, platform, gateway, tokens);
    registerUsageRoutes(app, platform);
    registerMasterDataRoutes(app, platform);
  },
  seedDemo: seedDatahubDemo,
};
