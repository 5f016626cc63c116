import type { Db } from "../../../kernel/db/db";
import { isoTimestampSql, rawQuery } from "../../../kernel/db/db";

const ts = isoTimestampSql;

export interface RequestRow {
  id: string;
  resourceId: string;
  resourceCode: string;
  resourceName: string;
  sharingType: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  providerDepartmentCode: string;
  providerDepartmentPath: string;
  consumerDepartmentId: string;
  consumerDepartmentName: string;
  consumerDepartmentCode: string;
  consumerDepartmentPath: string;
  requesterId: string;
  requesterName: string;
  fields: string[];
  clearFields: string[];
  purposeCode: string;
  purpose: string;
  legalBasis: string;
  periodFrom: string;
  periodTo: string;
  expectedDailyVolume: number;
  status: "checking" | "provider-review" | "granted" | "refused" | "disputed" | "withdrawn";
  refusal: { by: string; reason: string; at: string } | null;
  dispute: { reason: string; at: string } | null;
  escalated: boolean;
  instanceId: string | null;
  grantId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

const REQUEST_SELECT = `select q.id, q.resource_id as "resourceId", r.code as "resourceCode", r.name as "resourceName",
    r.sharing_type as "sharingType",
    r.provider_department_id as "providerDepartmentId", p.name as "providerDepartmentName",
    p.code as "providerDepartmentCode", p.path as "providerDepartmentPath",
    q.consumer_department_id as "consumerDepartmentId", c.name as "consumerDepartmentName",
    c.code as "consumerDepartmentCode", c.path as "consumerDepartmentPath",
    q.requester_id as "requesterId", u.display_name as "requesterName", q.fields, q.clear_fields as "clearFields",
    q.purpose_code as "purposeCode", q.purpose, q.legal_basis as "legalBasis",
    to_char(q.period_from, 'YYYY-MM-DD') as "periodFrom", to_char(q.period_to, 'YYYY-MM-DD') as "periodTo",
    q.expected_daily_volume as "expectedDailyVolume", q.status, q.refusal, q.dispute, q.escalated,
    q.instance_id as "instanceId", q.grant_id as "grantId", ${ts("q.created_at")} as "createdAt",
    ${ts("q.decided_at")} as "decidedAt"
  from datahub.sharing_requests q
    join datahub.resources r on r.id = q.resource_id
    join identity.departments p on p.id = r.provider_department_id
    join identity.departments c on c.id = q.consumer_department_id
    left join identity.users u on u.id = q.requester_id`;

function parse(row: RequestRow): RequestRow {
  const json = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
  return { ...row, refusal: json(row.refusal), dispute: json(row.dispute) };
}

export async function findRequestRow(db: Db, id: string, lock = false): Promise<RequestRow | null> {
  const [row] = await rawQuery<RequestRow>(
    db,
    `${REQUEST_SELECT} where q.id = $1${lock ? " for update of q" : ""}`,
    [id],
  );
  return row ? parse(row) : null;
}

export async function listRequestRows(
  db: Db,
  filter: { consumerId?: string; providerId?: string; ids?: string[]; status?: string; limit: number },
): Promise<RequestRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.consumerId) where.push(`q.consumer_department_id = $${params.push(filter.consumerId)}`);
  if (filter.providerId) where.push(`r.provider_department_id = $${params.push(filter.providerId)}`);
  if (filter.ids) where.push(`q.id = any($${params.push(filter.ids)}::uuid[])`);
  if (filter.status) where.push(`q.status = $${params.push(filter.status)}`);
  const rows = await rawQuery<RequestRow>(
    db,
    `${REQUEST_SELECT}${where.length ? ` where ${where.join(" and ")}` : ""}
     order by q.created_at desc limit ${filter.limit}`,
    params,
  );
  return rows.map(parse);
}

export interface GrantRow {
  id: string;
  requestId: string;
  resourceId: string;
  resourceCode: string;
  resourceName: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  providerDepartmentPath: string;
  consumerDepartmentId: string;
  consumerDepartmentName: string;
  fields: string[];
  clearFields: string[];
  purposeCode: string;
  purpose: string;
  validFrom: string;
  expiresAt: string;
  rateLimitPerMinute: number;
  status: "active" | "expired" | "revoked";
  revokedReason: string | null;
  createdAt: string;
  calls: number;
}

const GRANT_SELECT = `select g.id, g.request_id as "requestId", g.resource_id as "resourceId", r.code as "resourceCode",
    r.name as "resourceName", r.provider_department_id as "providerDepartmentId", p.name as "providerDepartmentName",
    p.path as "providerDepartmentPath", g.consumer_department_id as "consumerDepartmentId",
    c.name as "consumerDepartmentName", g.fields, g.clear_fields as "clearFields", g.purpose_code as "purposeCode",
    g.purpose, ${ts("g.valid_from")} as "validFrom", ${ts("g.expires_at")} as "expiresAt",
    g.rate_limit_per_minute as "rateLimitPerMinute",
    case when g.status = 'active' and g.expires_at <= $1::timestamptz then 'expired' else g.status end as status,
    g.revoked_reason as "revokedReason", ${ts("g.created_at")} as "createdAt",
    coalesce((select sum(u.calls) from datahub.usage_daily u
              where u.resource_id = g.resource_id and u.consumer_department_id = g.consumer_department_id), 0)::int as calls
  from datahub.grants g
    join datahub.resources r on r.id = g.resource_id
    join identity.departments p on p.id = r.provider_department_id
    join identity.departments c on c.id = g.consumer_department_id`;

export async function findGrantRow(db: Db, id: string, now: Date, lock = false): Promise<GrantRow | null> {
  const [row] = await rawQuery<GrantRow>(
    db,
    `${GRANT_SELECT} where g.id = $2${lock ? " for update of g" : ""}`,
    [now.toISOString(), id],
  );
  return row ?? null;
}

export async function listGrantRows(
  db: Db,
  now: Date,
  filter: { consumerId?: string; providerId?: string; resourceId?: string; status?: string; limit: number },
): Promise<GrantRow[]> {
  const params: unknown[] = [now.toISOString()];
  const where: string[] = [];
  if (filter.consumerId) where.push(`g.consumer_department_id = $${params.push(filter.consumerId)}`);
  if (filter.providerId) where.push(`r.provider_department_id = $${params.push(filter.providerId)}`);
  if (filter.resourceId) where.push(`g.resource_id = $${params.push(filter.resourceId)}`);
  const rows = await rawQuery<GrantRow>(
    db,
    `${GRANT_SELECT}${where.length ? ` where ${where.join(" and ")}` : ""}
     order by g.created_at desc limit ${filter.limit}`,
    params,
  );
  return filter.status ? rows.filter((r) => r.status === filter.status) : rows;
}

/** The active grants the gateway enforces for a consumer and resource. */
export async function activeGrantRows(
  db: Db,
  resourceId: string,
  consumerId: string,
  now: Date,
): Promise<
  {
    id: string;
    fields: string[];
    clearFields: string[];
    purposeCode: string;
    purpose: string;
    validFrom: string;
    expiresAt: string;
    rateLimitPerMinute: number;
  }[]
> {
  return rawQuery(
    db,
    `select id, fields, clear_fields as "clearFields", purpose_code as "purposeCode", purpose,
       ${ts("valid_from")} as "validFrom", ${ts("expires_at")} as "expiresAt",
       rate_limit_per_minute as "rateLimitPerMinute"
     from datahub.grants
     where resource_id = $1 and consumer_department_id = $2 and status = 'active' and expires_at > $3::timestamptz`,
    [resourceId, consumerId, now.toISOString()],
  );
}
