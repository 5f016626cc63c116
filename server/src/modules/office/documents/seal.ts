import { canonicalJson } from "../../../kernel/crypto/canonical-json";
import { sealPdf } from "../../../kernel/crypto/seals";
import type { Ctx } from "../../../kernel/http/context";
import type { Platform } from "../../../kernel/platform";
import type { DocumentRow } from "./documents.queries";
import { sealedContent } from "./sealing";

/**
 * 用印: the issuing department's SM2 seal signs the document's elements (canonical JSON, RFC 8785)
 * and the PDF carries a signature over its bytes that pdfsig verifies (ADR 0007).
 */
export async function sealDocumentPdf(ctx: Ctx, platform: Platform, row: DocumentRow, pdf: Uint8Array) {
  return sealPdf(ctx.tx, platform.masterKey, { id: row.organId, name: row.signatureOrg }, pdf, {
    content: Buffer.from(canonicalJson(sealedContent(row))),
    now: ctx.clock.now(),
    reason: `用印：${row.number ?? row.title}`,
  });
}
