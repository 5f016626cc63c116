import type { DeadlineEvent } from "../../kernel/deadlines/deadlines";
import { systemCtx } from "../../kernel/http/context";
import type { Module } from "..";
import { allowLinkAccess, registerChatRoutes } from "./chat";
import { seedOfficeDemo } from "./demo";
import { canReadDocument } from "./documents/documents.service";
import { registerDocuments } from "./documents/register";
import { sealDocumentPdf } from "./documents/seal";
import { registerMobile } from "./mobile/mobile";
import { registerNoticeRoutes } from "./notices/notices.routes";
import { notifyByNotices } from "./notify";
import { registerSupervisionRoutes } from "./supervision/supervision.routes";
import {
  canReadSupervisionItem,
  onSupervisionDeadline,
  REPORT_KIND,
  SUPERVISION_KIND,
} from "./supervision/supervision.service";

export { linkDemoMobileAccounts } from "./mobile/mobile";

/**
 * 一网协同 — Collaborative office: official documents, supervision, messaging.
 * The only import surface of this module for the rest of the platform.
 */
export const officeModule: Module = {
  name: "office",
  title: "一网协同",
  async register(app, platform) {
    registerDocuments(app, platform, {
      notify: (ctx, departmentId, incomingId, row) =>
        notifyByNotices(ctx, {
          departmentIds: [departmentId],
          kind: "document_distributed",
          title: `来文：${row.title}`,
          body: `${row.organMark.replace(/文件$/, "")}${row.number ? ` ${row.number}` : ""}，请及时签收。`,
          link: `/office/documents/${incomingId}`,
          sourceType: "document",
          sourceId: incomingId,
        }),
      seal: (ctx, row, pdf) => sealDocumentPdf(ctx, platform, row, pdf),
    });
    registerSupervisionRoutes(app, platform, notifyByNotices);
    registerNoticeRoutes(app, platform);
    registerMobile(app, platform);
    await registerChatRoutes(app, platform);
    // Whoever may see a document or a supervision item may join the chat room linked to it.
    allowLinkAccess("document", (ctx, id) => canReadDocument(ctx, id));
    allowLinkAccess("supervision", (ctx, id) => canReadSupervisionItem(ctx, id));
    for (const kind of [SUPERVISION_KIND, REPORT_KIND]) {
      platform.events.subscribe(`office.deadlines.${kind}`, `${kind}.*`, (event) =>
        platform.db.transaction((tx) =>
          onSupervisionDeadline(
            systemCtx(tx, platform.clock, platform.log, `event:${event.id}`),
            notifyByNotices,
            event.topic,
            event.payload as DeadlineEvent,
          ),
        ),
      );
    }
  },
  seedDemo: seedOfficeDemo,
};
