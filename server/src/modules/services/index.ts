import path from "node:path";
import { fileURLToPath } from "node:url";
import { systemCtx } from "../../kernel/http/context";
import { loadActors } from "../../kernel/identity/actors";
import type { Module } from "..";
import { registerApplicationRoutes } from "./applications/applications.routes";
import type { ServicesDeps } from "./applications/applications.service";
import { applyTask, EVALUATION_DEFAULT_JOB } from "./applications/handling.service";
import { builtInScanner } from "./applications/materials.service";
import { registerCatalogRoutes } from "./catalog/catalog.routes";
import { PublishedCatalog } from "./catalog/published";
import { seedServicesDemo } from "./demo";
import { recordDefaultEvaluation } from "./evaluation/evaluation.service";
import { registerReportRoutes } from "./reports/reports.routes";
import { registerSupervisionRoutes } from "./supervision/supervision.routes";

export { REPORT_CATEGORIES } from "./reports/reports.service";

const PROCESSES = path.join(path.dirname(fileURLToPath(import.meta.url)), "processes");

/**
 * 一网通办 — Services for citizens and enterprises: the item catalog (事项清单), applications from the
 * portal, the phone, the kiosk and the window, their deadlines (电子监察), evaluations (好差评) and
 * metrics (四少一快), and citizens' reports of problems in the city (published as
 * `services.city-report.submitted` for the operations network). See docs/services.md.
 * The only import surface of this module for the rest of the platform.
 */
export const servicesModule: Module = {
  name: "services",
  title: "一网通办",
  async register(app, platform) {
    const settings = platform.config.services;
    const deps: ServicesDeps = {
      engine: platform.workflow,
      calendar: () => platform.calendar.current,
      acceptDays: settings.acceptDays,
      evaluationDays: settings.evaluationDays,
      rectificationDays: settings.rectificationDays,
      maxMaterialBytes: settings.maxMaterialBytes,
      divisionCode: settings.divisionCode,
    };
    platform.workflow.addLibrary(PROCESSES);
    const catalog = new PublishedCatalog(platform.db);
    // An item published or withdrawn in any server process: the list is read again.
    platform.events.subscribe("services.catalog-cache", "services.item.*", async () => catalog.forget());
    platform.jobs.register(EVALUATION_DEFAULT_JOB, (ctx, payload) =>
      recordDefaultEvaluation(ctx, (payload as { applicationId: string }).applicationId),
    );
    // A task of an application completed outside this module (the generic inbox, the mobile app):
    // apply the same step, once.
    platform.events.subscribe("services.application-tasks", "workflow.task.completed", async (event) => {
      const p = event.payload as {
        taskId: string;
        processKey: string;
        elementId: string;
        businessKey: string | null;
        completedBy: string | null;
        variables: Record<string, unknown>;
      };
      if (p.processKey !== "service-application") return;
      await platform.db.transaction(async (tx) => {
        const actors = p.completedBy ? await loadActors(tx, { ids: [p.completedBy] }) : new Map();
        const ctx = {
          ...systemCtx(tx, platform.clock, platform.log, `event:${event.id}`),
          actor: actors.get(p.completedBy ?? "") ?? null,
        };
        await applyTask(ctx, deps, p);
      });
    });

    registerCatalogRoutes(app, platform, catalog);
    registerApplicationRoutes(app, platform, deps, builtInScanner);
    registerSupervisionRoutes(app, platform, deps);
    registerReportRoutes(app, platform);
  },
  seedDemo: seedServicesDemo,
};
