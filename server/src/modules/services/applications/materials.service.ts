import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { type AuditSource, appendAudit } from "../../../kernel/audit/audit";
import { type Db, rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { findFrozenVersion } from "../catalog/catalog.queries";
import { ServicesErrors } from "../errors";
import { applicationMaterials } from "../schema";
import { actorOf, getApplicationRow, isOwner, type ServicesDeps } from "./applications.service";

/**
 * A virus scanner for uploaded materials. The built-in one recognises the EICAR test file, so the
 * refusal path is real and testable; a ClamAV (clamd INSTREAM) adapter can stand behind the same
 * interface in production.
 */
export interface MaterialScanner {
  scan(content: Buffer): Promise<{ clean: boolean; signature?: string }>;
}

const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
export const builtInScanner: MaterialScanner = {
  async scan(content) {
    return content.includes(EICAR) ? { clean: false, signature: "EICAR-Test-File" } : { clean: true };
  },
};

const DEFAULT_ACCEPT = ["application/pdf", "image/jpeg", "image/png"];

/** What a file really is, by its first bytes (the declared type is not trusted). */
export function sniff(content: Buffer): string | null {
  if (content.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return "image/jpeg";
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  if (content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return "application/ofd";
  return null;
}

/**
 * Scans a file before anything is written: an infected one is refused, and the refusal is audited in
 * a transaction of its own (the upload's transaction never begins).
 */
export async function screenMaterial(
  db: Db,
  source: AuditSource,
  scanner: MaterialScanner,
  applicationId: string,
  code: string,
  content: Buffer,
): Promise<void> {
  const verdict = await scanner.scan(content);
  if (verdict.clean) return;
  await db.transaction((tx) =>
    appendAudit(tx, source, {
      action: "services.material.infected",
      resourceType: "application",
      resourceId: applicationId,
      outcome: "denied",
      details: { code, signature: verdict.signature ?? "" },
    }),
  );
  throw new AppError(ServicesErrors.MATERIAL_REJECTED, {
    errors: [{ field: "/body", message: "文件未通过病毒查杀" }],
  });
}

/** Attaches a file (screened already) to a material of the application while it can still be changed. */
export async function uploadMaterial(
  ctx: Ctx,
  deps: ServicesDeps,
  id: string,
  input: { code: string; fileName: string; declaredType: string; content: Buffer },
) {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  if (!isOwner(actor, row) && row.applicantUserId !== actor.id)
    throw new AppError(ServicesErrors.APPLICATION_NOT_EDITABLE, {
      message: "Only the applicant adds materials",
    });
  if (row.status !== "draft" && row.status !== "correction-requested")
    throw new AppError(ServicesErrors.APPLICATION_NOT_EDITABLE);
  const item = (await findFrozenVersion(ctx.tx, row.itemId, row.itemVersion))!;
  const material = item.spec.materials.find((m) => m.code === input.code);
  if (!material)
    throw new AppError(ServicesErrors.MATERIAL_REJECTED, {
      errors: [{ field: "/querystring/code", message: `${input.code} is not a material of this item` }],
    });
  if (input.content.length === 0)
    throw new AppError(ServicesErrors.MATERIAL_REJECTED, {
      errors: [{ field: "/body", message: "文件是空的" }],
    });
  if (input.content.length > deps.maxMaterialBytes)
    throw new AppError(ServicesErrors.MATERIAL_TOO_LARGE, {
      message: `文件不能超过 ${Math.floor(deps.maxMaterialBytes / 1024 / 1024)} MB`,
    });
  const accept = material.accept ?? DEFAULT_ACCEPT;
  const actual = sniff(input.content);
  if (!actual || !accept.includes(actual))
    throw new AppError(ServicesErrors.MATERIAL_REJECTED, {
      errors: [
        {
          field: "/body",
          message: `只接受 ${accept.map((a) => a.split("/")[1]!.toUpperCase()).join("、")} 文件`,
        },
      ],
    });
  if (input.declaredType !== "application/octet-stream" && input.declaredType !== actual)
    throw new AppError(ServicesErrors.MATERIAL_REJECTED, {
      errors: [
        {
          field: "/headers/content-type",
          message: `文件内容是 ${actual}，与声明的 ${input.declaredType} 不符`,
        },
      ],
    });
  const now = ctx.clock.now();
  const materialId = newId(now.getTime());
  const sha256 = createHash("sha256").update(input.content).digest("hex");
  await ctx.tx.insert(applicationMaterials).values({
    id: materialId,
    applicationId: id,
    code: input.code,
    fileName: input.fileName,
    mime: actual,
    size: input.content.length,
    sha256,
    content: input.content,
    scanStatus: "clean",
    uploadedBy: actor.id,
    uploadedAt: now,
  });
  await recountMaterials(ctx, id);
  await appendAudit(ctx.tx, ctx, {
    action: "services.material.uploaded",
    resourceType: "application",
    resourceId: id,
    details: { code: input.code, size: input.content.length, sha256 },
  });
  return {
    id: materialId,
    code: input.code,
    name: material.name,
    fileName: input.fileName,
    mime: actual,
    size: input.content.length,
    sha256,
    scanStatus: "clean",
    reference: null,
    uploadedAt: now.toISOString(),
  };
}

/** 四少一快: the application's counts of uploaded and reused materials, counted where they are stored. */
async function recountMaterials(ctx: Ctx, id: string) {
  await rawQuery(
    ctx.tx,
    `update services.applications a set
       materials_uploaded = (select count(*) from services.application_materials m where m.application_id = a.id and m.reference is null),
       materials_reused = (select count(*) from services.application_materials m where m.application_id = a.id and m.reference is not null)
     where a.id = $1`,
    [id],
  );
}

export async function deleteMaterial(ctx: Ctx, id: string, materialId: string) {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  if (!isOwner(actor, row) && row.applicantUserId !== actor.id)
    throw new AppError(ServicesErrors.APPLICATION_NOT_EDITABLE);
  if (row.status !== "draft" && row.status !== "correction-requested")
    throw new AppError(ServicesErrors.APPLICATION_NOT_EDITABLE);
  const deleted = await ctx.tx
    .delete(applicationMaterials)
    .where(and(eq(applicationMaterials.id, materialId), eq(applicationMaterials.applicationId, id)))
    .returning({ id: applicationMaterials.id });
  if (deleted.length === 0) throw new AppError(ServicesErrors.MATERIAL_NOT_FOUND);
  await recountMaterials(ctx, id);
  await appendAudit(ctx.tx, ctx, {
    action: "services.material.deleted",
    resourceType: "application",
    resourceId: id,
    details: { materialId },
  });
}

/** A material's file for the applicant or the handling staff; every read is audited. */
export async function materialContent(ctx: Ctx, id: string, materialId: string) {
  await getApplicationRow(ctx, id);
  const [file] = await ctx.tx
    .select({
      fileName: applicationMaterials.fileName,
      mime: applicationMaterials.mime,
      content: applicationMaterials.content,
    })
    .from(applicationMaterials)
    .where(and(eq(applicationMaterials.id, materialId), eq(applicationMaterials.applicationId, id)));
  if (!file?.content) throw new AppError(ServicesErrors.MATERIAL_NOT_FOUND);
  await appendAudit(ctx.tx, ctx, {
    action: "read",
    resourceType: "application-material",
    resourceId: materialId,
    details: { applicationId: id },
  });
  return file;
}
