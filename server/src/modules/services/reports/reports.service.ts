import { desc, eq } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { actorOf } from "../applications/applications.service";
import { sniff } from "../applications/materials.service";
import { cityReports } from "../schema";

/** 随手拍 categories a citizen chooses from; the operations network maps them to case classes. */
export const REPORT_CATEGORIES = {
  "street-vending": "乱摆卖",
  "illegal-dumping": "乱堆放",
  "illegal-posting": "乱张贴",
  "illegal-building": "乱搭建",
  "illegal-parking": "乱停放",
  "illegal-hanging": "乱拉挂",
  "road-damage": "道路破损",
  "manhole-cover": "井盖缺损",
  "street-light": "路灯故障",
  waterlogging: "积水内涝",
  noise: "噪音扰民",
  other: "其他",
} as const;
export type ReportCategory = keyof typeof REPORT_CATEGORIES;

const PHOTO_LIMIT = 2 * 1024 * 1024;

/**
 * A citizen reports a problem in the city. It is stored here and published as the event the
 * operations network's case intake consumes (services.city-report.submitted), with the photo's id.
 */
export async function reportCityProblem(
  ctx: Ctx,
  input: {
    category: ReportCategory;
    description: string;
    address?: string | undefined;
    location?: { lng: number; lat: number } | undefined;
    photo?: string | undefined;
  },
) {
  const actor = actorOf(ctx);
  if (!input.address && !input.location)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/address", message: "请填写地址或提供位置" }],
    });
  let photo: Buffer | null = null;
  let photoMime: string | null = null;
  if (input.photo) {
    photo = Buffer.from(input.photo, "base64");
    photoMime = sniff(photo);
    if (photo.length > PHOTO_LIMIT)
      throw new AppError(HttpErrors.VALIDATION_FAILED, {
        errors: [{ field: "/body/photo", message: "照片不能超过 2 MB" }],
      });
    if (photoMime !== "image/jpeg" && photoMime !== "image/png")
      throw new AppError(HttpErrors.VALIDATION_FAILED, {
        errors: [{ field: "/body/photo", message: "照片须为 JPEG 或 PNG" }],
      });
  }
  const now = ctx.clock.now();
  const id = newId(now.getTime());
  await ctx.tx.insert(cityReports).values({
    id,
    reporterUserId: actor.id,
    category: input.category,
    description: input.description,
    address: input.address ?? null,
    lng: input.location?.lng ?? null,
    lat: input.location?.lat ?? null,
    photo,
    photoMime,
    status: "submitted",
    createdAt: now,
  });
  await appendAudit(ctx.tx, ctx, {
    action: "services.city-report.submitted",
    resourceType: "city-report",
    resourceId: id,
    details: { category: input.category },
  });
  await publishEvent(ctx.tx, "services.city-report.submitted", {
    reportId: id,
    category: input.category,
    categoryName: REPORT_CATEGORIES[input.category],
    description: input.description,
    address: input.address ?? null,
    location: input.location ?? null,
    hasPhoto: !!photo,
    reporterUserId: actor.id,
    at: now.toISOString(),
  });
  return listOne(ctx, id);
}

const COLUMNS = {
  id: cityReports.id,
  category: cityReports.category,
  description: cityReports.description,
  address: cityReports.address,
  lng: cityReports.lng,
  lat: cityReports.lat,
  status: cityReports.status,
  createdAt: cityReports.createdAt,
};

async function listOne(ctx: Ctx, id: string) {
  const [row] = await ctx.tx.select(COLUMNS).from(cityReports).where(eq(cityReports.id, id));
  return { ...row!, createdAt: row!.createdAt.toISOString() };
}

export async function listMyReports(ctx: Ctx) {
  const actor = actorOf(ctx);
  const rows = await ctx.tx
    .select(COLUMNS)
    .from(cityReports)
    .where(eq(cityReports.reporterUserId, actor.id))
    .orderBy(desc(cityReports.createdAt))
    .limit(100);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
