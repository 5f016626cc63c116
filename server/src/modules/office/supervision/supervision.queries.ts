import { type Db, isoTimestampSql, rawQuery } from "../../../kernel/db/db";

export interface SupervisionRow {
  id: string;
  title: string;
  description: string;
  sourceType: string;
  sourceRef: string | null;
  leadDepartmentId: string;
  leadDepartmentName: string;
  leadDepartmentPath: string;
  coDepartmentIds: string[];
  dueAt: string;
  reportEveryDays: number | null;
  remindDays: number;
  status: string;
  progress: number;
  lastReportAt: string | null;
  escalatedAt: string | null;
  escalationLevel: number;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  completedAt: string | null;
}

const ts = isoTimestampSql;
const COLUMNS = `s.id, s.title, s.description, s.source_type as "sourceType", s.source_ref as "sourceRef",
  s.lead_department_id as "leadDepartmentId", d.name as "leadDepartmentName", d.path as "leadDepartmentPath",
  s.co_department_ids as "coDepartmentIds", ${ts("s.due_at")} as "dueAt", s.report_every_days as "reportEveryDays",
  s.remind_days as "remindDays", s.status, s.progress, ${ts("s.last_report_at")} as "lastReportAt",
  ${ts("s.escalated_at")} as "escalatedAt", s.escalation_level as "escalationLevel", s.created_by as "createdBy",
  u.display_name as "createdByName", ${ts("s.created_at")} as "createdAt", ${ts("s.completed_at")} as "completedAt"`;
const FROM = `office.supervision_items s join identity.departments d on d.id = s.lead_department_id
  left join identity.users u on u.id = s.created_by`;

const normalise = (r: SupervisionRow): SupervisionRow => ({
  ...r,
  coDepartmentIds: typeof r.coDepartmentIds === "string" ? JSON.parse(r.coDepartmentIds) : r.coDepartmentIds,
});

export async function findSupervisionRow(db: Db, id: string, lock = false): Promise<SupervisionRow | null> {
  const [row] = await rawQuery<SupervisionRow>(
    db,
    `select ${COLUMNS} from ${FROM} where s.id = $1${lock ? " for update of s" : ""}`,
    [id],
  );
  return row ? normalise(row) : null;
}

/**
 * Items whose lead or co-owner department lies under one of the paths (null: all), or that the user
 * created; open ones first by deadline.
 */
export async function searchSupervisionRows(
  db: Db,
  f: {
    paths: string[] | null;
    /** also the items of the departments above the actor's (a section sees its bureau's items) */
    actorPath: string | null;
    userId: string;
    status?: string | undefined;
    limit: number;
  },
): Promise<SupervisionRow[]> {
  const params: unknown[] = [f.userId];
  let scope = "true";
  if (f.paths) {
    params.push(
      f.paths.map((p) => `${p}%`),
      f.actorPath ?? "",
    );
    const owns = (path: string) => `(${path} like any($2::text[]) or $3 like ${path} || '%')`;
    scope = `(s.created_by = $1 or ${owns("d.path")} or exists (
      select 1 from identity.departments c where c.id::text in (select jsonb_array_elements_text(s.co_department_ids))
        and ${owns("c.path")}))`;
  }
  let status = "";
  if (f.status) {
    params.push(f.status);
    status = ` and s.status = $${params.length}`;
  }
  params.push(f.limit);
  const rows = await rawQuery<SupervisionRow>(
    db,
    `select ${COLUMNS} from ${FROM} where ${scope}${status}
     order by (s.status = 'open') desc, s.due_at asc limit $${params.length}`,
    params,
  );
  return rows.map(normalise);
}

export async function reportRows(db: Db, itemId: string) {
  return rawQuery<{
    id: string;
    departmentId: string;
    departmentName: string;
    reportedById: string;
    reportedByName: string;
    progress: number;
    text: string;
    completes: boolean;
    createdAt: string;
  }>(
    db,
    `select r.id::text as id, r.department_id as "departmentId", d.name as "departmentName",
       r.reported_by as "reportedById", u.display_name as "reportedByName", r.progress, r.text, r.completes,
       ${ts("r.created_at")} as "createdAt"
     from office.supervision_reports r join identity.departments d on d.id = r.department_id
       join identity.users u on u.id = r.reported_by
     where r.item_id = $1 order by r.created_at desc, r.id desc`,
    [itemId],
  );
}

export async function departmentPaths(
  db: Db,
  ids: string[],
): Promise<Map<string, { path: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<{ id: string; path: string; name: string }>(
    db,
    "select id, path, name from identity.departments where id = any($1::uuid[])",
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { path: r.path, name: r.name }]));
}
