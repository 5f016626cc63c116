import { type Db, rawQuery } from "../../../kernel/db/db";
import type { applications, PrefilledField } from "../schema";

/** An application with its item's name and its department, as use cases and views read it. */
export interface ApplicationRow {
  id: string;
  receiptNo: string;
  trackingCode: string;
  itemId: string;
  itemVersion: number;
  itemCode: string;
  itemName: string;
  itemPublished: boolean;
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  departmentPath: string;
  applicantUserId: string;
  applicantUsername: string;
  subjectKind: "person" | "legal";
  subjectKey: string;
  subjectName: string;
  citizenId: string | null;
  enterpriseId: string | null;
  onBehalf: boolean;
  channel: string;
  data: Record<string, unknown>;
  prefilled: Record<string, PrefilledField>;
  status: string;
  instanceId: string | null;
  correction: (typeof applications.$inferSelect)["correction"];
  decision: (typeof applications.$inferSelect)["decision"];
  refusalReason: string | null;
  delivery: (typeof applications.$inferSelect)["delivery"];
  promisedDays: number;
  statutoryDays: number;
  clockStartedAt: string | null;
  pausedSince: string | null;
  pauseReason: string | null;
  pausedDays: number;
  warnAt: string | null;
  dueAt: string | null;
  elapsedDays: number | null;
  visits: number;
  acceptedBy: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  deliveredAt: string | null;
  rating: number | null;
  ratedAt: string | null;
  ratingDefault: boolean | null;
}

const COLUMNS = `a.id, a.receipt_no as "receiptNo", a.tracking_code as "trackingCode", a.item_id as "itemId",
  a.item_version as "itemVersion", i.code as "itemCode", v.name as "itemName",
  (i.published_version is not null) as "itemPublished", a.department_id as "departmentId",
  d.code as "departmentCode", d.name as "departmentName", d.path as "departmentPath",
  a.applicant_user_id as "applicantUserId", u.username as "applicantUsername", a.subject_kind as "subjectKind",
  a.subject_key as "subjectKey", a.subject_name as "subjectName", a.citizen_id as "citizenId",
  a.enterprise_id as "enterpriseId", a.on_behalf as "onBehalf", a.channel, a.data, a.prefilled, a.status,
  a.instance_id as "instanceId", a.correction, a.decision, a.refusal_reason as "refusalReason", a.delivery,
  a.promised_days as "promisedDays", a.statutory_days as "statutoryDays",
  a.clock_started_at as "clockStartedAt", a.paused_since as "pausedSince", a.pause_reason as "pauseReason",
  a.paused_days as "pausedDays", a.warn_at as "warnAt", a.due_at as "dueAt", a.elapsed_days as "elapsedDays",
  a.visits, a.accepted_by as "acceptedBy", a.created_at as "createdAt", a.updated_at as "updatedAt",
  a.submitted_at as "submittedAt", a.accepted_at as "acceptedAt", a.decided_at as "decidedAt",
  a.delivered_at as "deliveredAt", e.rating, e.created_at as "ratedAt", e.is_default as "ratingDefault"`;
const FROM = `services.applications a
  join services.items i on i.id = a.item_id
  join services.item_versions v on v.item_id = a.item_id and v.version = a.item_version
  join identity.departments d on d.id = a.department_id
  join identity.users u on u.id = a.applicant_user_id
  left join services.evaluations e on e.application_id = a.id`;

/** An application's states, from the draft to the delivered result. */
export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "correction-requested",
  "not-accepted",
  "accepted",
  "approved",
  "denied",
  "delivered",
  "withdrawn",
] as const;

/** Open: the clock runs (or stands still) and a decision is still to come. */
export const OPEN_STATUSES = ["submitted", "correction-requested", "accepted"] as const;

/** The warning colour of an open application, computed where lists filter by it. */
export const LEVEL_SQL = `case when a.status not in ('submitted', 'correction-requested', 'accepted') or a.due_at is null then 'normal'
  when a.due_at < coalesce(a.paused_since, now()) then 'red'
  when a.warn_at is not null and a.warn_at <= coalesce(a.paused_since, now()) then 'yellow' else 'normal' end`;

/** The application; with `lock`, its row stays locked (only its own row) to the end of the transaction. */
export async function findApplicationRow(db: Db, id: string, lock = false): Promise<ApplicationRow | null> {
  const [row] = await rawQuery<ApplicationRow>(
    db,
    `select ${COLUMNS} from ${FROM} where a.id = $1${lock ? " for update of a" : ""}`,
    [id],
  );
  return row ?? null;
}

export interface ApplicationFilter {
  /** The applicant's own (their account, or their citizen or enterprise record). */
  mine?: { userId: string; citizenId: string | null; enterpriseId: string | null };
  statuses?: string[];
  /** Items of departments at or above this path (the actor's department subtree reviews its own). */
  departmentPathOf?: string;
  level?: "yellow" | "red";
  q?: string;
  limit: number;
  offset: number;
}

/** A page of applications matching the filter, newest first, with the total. */
export async function listApplicationRows(db: Db, filter: ApplicationFilter) {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.mine) {
    const u = params.push(filter.mine.userId);
    const c = params.push(filter.mine.citizenId);
    const e = params.push(filter.mine.enterpriseId);
    where.push(`(a.applicant_user_id = $${u} or a.citizen_id = $${c} or a.enterprise_id = $${e})`);
  }
  if (filter.statuses) where.push(`a.status = any($${params.push(filter.statuses)}::text[])`);
  if (filter.departmentPathOf) where.push(`$${params.push(filter.departmentPathOf)} like d.path || '%'`);
  if (filter.level) where.push(`(${LEVEL_SQL}) = $${params.push(filter.level)}`);
  if (filter.q) {
    const q = params.push(`%${filter.q.replace(/[\\%_]/g, "\\$&")}%`);
    where.push(`(a.receipt_no ilike $${q} or v.name ilike $${q} or a.subject_name ilike $${q})`);
  }
  const clause = where.length ? `where ${where.join(" and ")}` : "";
  const limit = params.push(filter.limit);
  const offset = params.push(filter.offset);
  const rows = await rawQuery<ApplicationRow & { total: number }>(
    db,
    `select ${COLUMNS}, count(*) over ()::int as total from ${FROM} ${clause}
     order by coalesce(a.submitted_at, a.created_at) desc, a.id desc limit $${limit} offset $${offset}`,
    params,
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

export interface HistoryRow {
  at: string;
  action: string;
  actorName: string;
  reason: string;
}

export interface MaterialRow {
  id: string;
  code: string;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  scanStatus: string;
  reference: { kind: string; id: string } | null;
  uploadedAt: string;
}

export async function listMaterialRows(db: Db, applicationId: string): Promise<MaterialRow[]> {
  return rawQuery<MaterialRow>(
    db,
    `select id, code, file_name as "fileName", mime, size, sha256, scan_status as "scanStatus", reference,
            uploaded_at as "uploadedAt"
       from services.application_materials where application_id = $1 order by uploaded_at, id`,
    [applicationId],
  );
}

export interface SpecialStepRow {
  id: string;
  kind: string;
  name: string;
  reason: string;
  startedAt: string;
  finishedAt: string | null;
  result: string | null;
}

export async function listSpecialStepRows(db: Db, applicationId: string): Promise<SpecialStepRow[]> {
  return rawQuery<SpecialStepRow>(
    db,
    `select id, kind, name, reason, started_at as "startedAt", finished_at as "finishedAt", result
       from services.special_steps where application_id = $1 order by started_at, id`,
    [applicationId],
  );
}

/** An application's materials, history and special steps, in one round trip (the page shows them all). */
export async function findApplicationDetails(db: Db, applicationId: string) {
  const [row] = await rawQuery<{ materials: MaterialRow[]; history: HistoryRow[]; steps: SpecialStepRow[] }>(
    db,
    `select
       coalesce((select json_agg(json_build_object('id', m.id, 'code', m.code, 'fileName', m.file_name,
           'mime', m.mime, 'size', m.size, 'sha256', m.sha256, 'scanStatus', m.scan_status,
           'reference', m.reference, 'uploadedAt', m.uploaded_at) order by m.uploaded_at, m.id)
         from services.application_materials m where m.application_id = $1), '[]') as materials,
       coalesce((select json_agg(json_build_object('at', h.at, 'action', h.action, 'actorName', h.actor_name,
           'reason', h.reason) order by h.at, h.id)
         from services.application_history h where h.application_id = $1), '[]') as history,
       coalesce((select json_agg(json_build_object('id', s.id, 'kind', s.kind, 'name', s.name, 'reason', s.reason,
           'startedAt', s.started_at, 'finishedAt', s.finished_at, 'result', s.result) order by s.started_at, s.id)
         from services.special_steps s where s.application_id = $1), '[]') as steps`,
    [applicationId],
  );
  return row!;
}
