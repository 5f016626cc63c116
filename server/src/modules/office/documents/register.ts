import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { publishEvent } from "../../../kernel/events/events";
import { type Ctx, systemCtx } from "../../../kernel/http/context";
import type { Platform } from "../../../kernel/platform";
import type { ServiceTaskContext } from "../../../workflow";
import { type DocumentRow, findDocumentRow } from "./documents.queries";
import { registerDocumentRoutes } from "./documents.routes";
import { type DistributionNotifier, incomingStep, outgoingStep, storeSealedPdf } from "./documents.service";
import { type DocumentRenderer, layoutOf } from "./sealing";

const PROCESSES = path.join(path.dirname(fileURLToPath(import.meta.url)), "processes");

export interface DocumentHooks {
  /** Tells a recipient department that a document arrived (notices, the mobile app). */
  notify?: DistributionNotifier;
  /** Seals a rendered PDF with the department's seal: the signed PDF and the key that signed it. */
  seal: (ctx: Ctx, row: DocumentRow, pdf: Uint8Array) => Promise<{ pdf: Uint8Array; keyId: string }>;
}

/** Official documents: routes, the steps of the 发文/收文 processes, and their shipped models. */
export function registerDocuments(app: FastifyInstance, platform: Platform, hooks: DocumentHooks): void {
  const engine = platform.workflow;
  // The renderer loads its fonts on first use, not at start-up.
  const render: DocumentRenderer = async (row, options) => {
    const { renderOfficialDocument } = await import("../pdf/render");
    return renderOfficialDocument(layoutOf(row, options?.sealName));
  };
  const notify: DistributionNotifier =
    hooks.notify ??
    (async (ctx, departmentId, incomingId, row) => {
      await publishEvent(ctx.tx, "office.document.arrived", {
        departmentId,
        documentId: incomingId,
        sourceDocumentId: row.id,
        title: row.title,
        number: row.number,
      });
    });

  /** A service task's own ctx and the document it works on (locked), found by the business key. */
  const withDocument =
    (work: (ctx: Ctx, row: DocumentRow, task: ServiceTaskContext) => Promise<void>) =>
    async (task: ServiceTaskContext) => {
      const ctx = systemCtx(task.tx, platform.clock, task.log, task.idempotencyKey);
      const row = task.businessKey ? await findDocumentRow(task.tx, task.businessKey, true) : null;
      if (!row) throw new Error(`${task.processKey} instance ${task.instanceId} has no document`);
      await work(ctx, row, task);
      return undefined;
    };

  const outgoing = withDocument((ctx, row, task) => outgoingStep(ctx, engine, row, task.elementId, notify));
  engine.registerHandler("office.document.status", outgoing);
  engine.registerHandler("office.document.number", outgoing);
  engine.registerHandler("office.document.distribute", outgoing);
  engine.registerHandler(
    "office.document.seal",
    withDocument(async (ctx, row, task) => {
      if (row.sealedAt) return; // a retried step: the seal is on already
      const keeper = await engine.lastCompletion(ctx.tx, task.instanceId, "seal");
      const pdf = await render(row, { sealName: row.signatureOrg });
      const sealed = await hooks.seal(ctx, row, pdf);
      await storeSealedPdf(ctx, row, sealed, keeper?.userId ?? null);
    }),
  );
  engine.registerHandler(
    "office.incoming.status",
    withDocument((ctx, row, task) => incomingStep(ctx, engine, row, task.elementId)),
  );
  engine.addLibrary(PROCESSES);
  registerDocumentRoutes(app, platform, { notify, render });
}
