import { type Db, isoTimestampSql, rawQuery } from "../../../kernel/db/db";

/** The document row as the service works with it (dates as ISO strings). */
export interface DocumentRow {
  id: string;
  direction: "outgoing" | "incoming";
  docType: string;
  status: string;
  departmentId: string;
  departmentName: string;
  departmentCode: string;
  departmentPath: string;
  /** the issuing organ: the nearest department up the tree with a 机关代字 (else the department) */
  organId: string;
  organPath: string;
  organDeptCode: string;
  copyNo: string | null;
  classification: string;
  secrecyPeriod: string | null;
  urgency: string;
  organMark: string;
  organCode: string;
  number: string | null;
  numberYear: number | null;
  numberSeq: number | null;
  signer: string | null;
  signedOffAt: string | null;
  title: string;
  mainRecipients: string[];
  body: string;
  attachmentNotes: string[];
  signatureOrg: string;
  writtenDate: string | null;
  note: string | null;
  ccRecipients: string[];
  printingOrg: string | null;
  printingDate: string | null;
  sealedAt: string | null;
  sealKeyId: string | null;
  recipients: { departmentId: string; role: "main" | "cc" }[];
  countersignDepartmentIds: string[];
  sourceDocumentId: string | null;
  instanceId: string | null;
  revision: number;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  updatedAt: string;
}

const ts = isoTimestampSql;

const DOCUMENT_COLUMNS = `d.id, d.direction, d.doc_type as "docType", d.status, d.department_id as "departmentId",
  dep.name as "departmentName", dep.code as "departmentCode", dep.path as "departmentPath",
  coalesce(org.id, dep.id) as "organId", coalesce(org.path, dep.path) as "organPath",
  coalesce(org.code, dep.code) as "organDeptCode",
  d.copy_no as "copyNo", d.classification, d.secrecy_period as "secrecyPeriod", d.urgency,
  d.organ_mark as "organMark", d.organ_code as "organCode", d.number, d.number_year as "numberYear",
  d.number_seq as "numberSeq", d.signer, ${ts("d.signed_off_at")} as "signedOffAt", d.title,
  d.main_recipients as "mainRecipients", d.body, d.attachment_notes as "attachmentNotes",
  d.signature_org as "signatureOrg", d.written_date::text as "writtenDate", d.note,
  d.cc_recipients as "ccRecipients", d.printing_org as "printingOrg", d.printing_date::text as "printingDate",
  ${ts("d.sealed_at")} as "sealedAt", d.seal_key_id as "sealKeyId", d.recipients,
  d.countersign_department_ids as "countersignDepartmentIds", d.source_document_id as "sourceDocumentId",
  d.instance_id as "instanceId", d.revision, d.created_by as "createdBy", u.display_name as "createdByName",
  ${ts("d.created_at")} as "createdAt", ${ts("d.updated_at")} as "updatedAt"`;
/** Joins `org`: the issuing organ of department `dep`, the nearest one up the tree with a 机关代字. */
const ORGAN_OF = (dep: string) => `left join lateral (select a.id, a.path, a.code, a.name, a.org_prefix
    from identity.departments a where ${dep}.path like a.path || '%' and a.org_prefix is not null
    order by length(a.path) desc limit 1) org on true`;
const DOCUMENT_FROM = `office.documents d join identity.departments dep on dep.id = d.department_id
  ${ORGAN_OF("dep")}
  left join identity.users u on u.id = d.created_by`;

function parse<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

function normalise(row: DocumentRow): DocumentRow {
  return {
    ...row,
    mainRecipients: parse(row.mainRecipients),
    attachmentNotes: parse(row.attachmentNotes),
    ccRecipients: parse(row.ccRecipients),
    recipients: parse(row.recipients),
    countersignDepartmentIds: parse(row.countersignDepartmentIds),
  };
}

/** One document; `lock` holds its row until the transaction ends (edits, numbering, distribution). */
export async function findDocumentRow(db: Db, id: string, lock = false): Promise<DocumentRow | null> {
  const [row] = await rawQuery<DocumentRow>(
    db,
    `select ${DOCUMENT_COLUMNS} from ${DOCUMENT_FROM} where d.id = $1${lock ? " for update of d" : ""}`,
    [id],
  );
  return row ? normalise(row) : null;
}

export async function findDocumentByInstance(db: Db, instanceId: string): Promise<DocumentRow | null> {
  const [row] = await rawQuery<{ id: string }>(db, "select id from office.documents where instance_id = $1", [
    instanceId,
  ]);
  return row ? findDocumentRow(db, row.id, true) : null;
}

export interface DocumentListFilter {
  direction?: "outgoing" | "incoming" | undefined;
  status?: string | undefined;
  q?: string | undefined;
  /** department path prefixes the caller sees; null: the whole district */
  departmentPaths: string[] | null;
  /** also the documents these departments countersign */
  countersignDepartmentId: string | null;
  /** whose reading the rows report (readByMe), and whether only unread ones */
  userId: string;
  unread?: boolean | undefined;
  limit: number;
  offset: number;
}

export async function searchDocumentRows(db: Db, f: DocumentListFilter) {
  const { where, params, p } = documentFilter(f);
  const read = `exists (select 1 from office.document_reads r where r.document_id = d.id and r.user_id = ${p(f.userId)})`;
  if (f.unread) where.push(`not ${read}`);
  const clause = where.length ? `where ${where.join(" and ")}` : "";
  const [count] = await rawQuery<{ n: number }>(
    db,
    `select count(*)::int as n from ${DOCUMENT_FROM} ${clause}`,
    params,
  );
  const rows = await rawQuery<DocumentRow & { readByMe: boolean }>(
    db,
    `select ${DOCUMENT_COLUMNS}, ${read} as "readByMe" from ${DOCUMENT_FROM} ${clause}
     order by d.updated_at desc, d.id desc limit ${p(f.limit)} offset ${p(f.offset)}`,
    params,
  );
  return { rows: rows.map((r) => ({ ...normalise(r), readByMe: r.readByMe })), total: count?.n ?? 0 };
}

/** How many documents the caller sees, by direction and status. */
export async function documentCounts(db: Db, f: Omit<DocumentListFilter, "limit" | "offset" | "userId">) {
  const { where, params } = documentFilter(f);
  const clause = where.length ? `where ${where.join(" and ")}` : "";
  return rawQuery<{ direction: string; status: string; count: number }>(
    db,
    `select d.direction, d.status, count(*)::int as count from ${DOCUMENT_FROM} ${clause}
     group by d.direction, d.status order by d.direction, d.status`,
    params,
  );
}

function documentFilter(f: Omit<DocumentListFilter, "limit" | "offset" | "userId">) {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.departmentPaths) {
    const scoped = f.departmentPaths.map((path) => `dep.path like ${p(`${path}%`)}`);
    if (f.countersignDepartmentId)
      scoped.push(`d.countersign_department_ids ? ${p(f.countersignDepartmentId)}`);
    where.push(`(${scoped.join(" or ") || "false"})`);
  }
  if (f.direction) where.push(`d.direction = ${p(f.direction)}`);
  if (f.status) where.push(`d.status = ${p(f.status)}`);
  if (f.q) where.push(`(d.title ilike ${p(`%${f.q}%`)} or d.number ilike ${p(`%${f.q}%`)})`);
  return { where, params, p };
}

export interface DepartmentInfo {
  id: string;
  /** the issuing organ's id and path (the department itself when no ancestor has a 机关代字) */
  organId: string;
  organPath: string;
  name: string;
  code: string;
  path: string;
  /** the 机关代字 of the nearest department up the tree that has one */
  orgPrefix: string | null;
  /** the nearest ancestor with a 机关代字 (the issuing organ) */
  organName: string;
}

export async function findDepartmentInfo(db: Db, id: string): Promise<DepartmentInfo | null> {
  const [row] = await rawQuery<DepartmentInfo>(
    db,
    `select d.id, d.name, d.code, d.path, coalesce(org.id, d.id) as "organId",
       coalesce(org.path, d.path) as "organPath", org.org_prefix as "orgPrefix",
       coalesce(org.name, d.name) as "organName"
     from identity.departments d ${ORGAN_OF("d")} where d.id = $1`,
    [id],
  );
  return row ?? null;
}

export async function findDepartments(
  db: Db,
  ids: string[],
): Promise<{ id: string; name: string; code: string }[]> {
  if (ids.length === 0) return [];
  return rawQuery(db, "select id, name, code from identity.departments where id = any($1::uuid[])", [ids]);
}

/** The usernames of the department's seal keepers (印章管理员) who can still sign in. */
export async function sealKeeperUsernames(db: Db, departmentId: string): Promise<string[]> {
  const rows = await rawQuery<{ username: string }>(
    db,
    `select u.username from office.seal_keepers k join identity.users u on u.id = k.user_id
     where k.department_id = $1 and not u.disabled order by u.username`,
    [departmentId],
  );
  return rows.map((r) => r.username);
}

/**
 * Takes the next 发文字号 sequence of an organ and year. The counter row stays locked until the
 * caller's transaction ends, so concurrent numberings queue here and a rolled-back one leaves no gap.
 */
export async function takeNumberSequence(db: Db, organCode: string, year: number): Promise<number> {
  const [row] = await rawQuery<{ last: number }>(
    db,
    `insert into office.document_number_counters (organ_code, year, last) values ($1, $2, 1)
     on conflict (organ_code, year) do update set last = office.document_number_counters.last + 1
     returning last`,
    [organCode, year],
  );
  return row!.last;
}

export async function revisionRows(db: Db, documentId: string) {
  const rows = await rawQuery<{
    revision: number;
    changedById: string | null;
    changedByName: string;
    changedAt: string;
    changes: Record<string, { from: unknown; to: unknown }> | string;
    bodyDiff: unknown;
    comment: string | null;
  }>(
    db,
    `select revision, changed_by as "changedById", changed_by_name as "changedByName", ${ts("changed_at")} as "changedAt",
       changes, body_diff as "bodyDiff", comment
     from office.document_revisions where document_id = $1 order by revision desc`,
    [documentId],
  );
  return rows.map((r) => ({ ...r, changes: parse(r.changes), bodyDiff: parse(r.bodyDiff) }));
}

export async function distributionRows(db: Db, documentId: string) {
  return rawQuery<{
    departmentId: string;
    departmentName: string;
    role: "main" | "cc";
    incomingDocumentId: string;
    sentAt: string;
    receivedAt: string | null;
    receivedByName: string | null;
    firstReadAt: string | null;
    readers: number;
  }>(
    db,
    `select t.department_id as "departmentId", dep.name as "departmentName", t.role,
       t.incoming_document_id as "incomingDocumentId", ${ts("t.sent_at")} as "sentAt",
       ${ts("t.received_at")} as "receivedAt", u.display_name as "receivedByName",
       ${ts("t.first_read_at")} as "firstReadAt",
       (select count(*)::int from office.document_reads r where r.document_id = t.incoming_document_id) as readers
     from office.distributions t join identity.departments dep on dep.id = t.department_id
       left join identity.users u on u.id = t.received_by
     where t.document_id = $1 order by t.role desc, dep.code`,
    [documentId],
  );
}

export async function fileRows(db: Db, documentId: string) {
  return rawQuery<{
    id: string;
    kind: string;
    name: string;
    mediaType: string;
    size: number;
    sha256: string;
    createdAt: string;
  }>(
    db,
    `select id, kind, name, media_type as "mediaType", size, sha256, ${ts("created_at")} as "createdAt"
     from office.document_files where document_id = $1 order by created_at`,
    [documentId],
  );
}

export async function findFile(db: Db, documentId: string, kind: string, fileId?: string) {
  const [row] = await rawQuery<{
    id: string;
    name: string;
    mediaType: string;
    content: Buffer | Uint8Array;
    sha256: string;
  }>(
    db,
    `select id, name, media_type as "mediaType", content, sha256 from office.document_files
     where document_id = $1 and kind = $2 ${fileId ? "and id = $3" : ""} order by created_at desc limit 1`,
    fileId ? [documentId, kind, fileId] : [documentId, kind],
  );
  return row ? { ...row, content: Buffer.from(row.content) } : null;
}

/** Records a reading: per user, and the first reading by anyone of a recipient department. */
export async function recordRead(db: Db, documentId: string, userId: string, at: string): Promise<boolean> {
  const rows = await rawQuery<{ first: boolean }>(
    db,
    `insert into office.document_reads (document_id, user_id, first_read_at, last_read_at) values ($1, $2, $3, $3)
     on conflict (document_id, user_id) do update set last_read_at = excluded.last_read_at
     returning (xmax = 0) as first`,
    [documentId, userId, at],
  );
  await rawQuery(
    db,
    "update office.distributions set first_read_at = $2 where incoming_document_id = $1 and first_read_at is null",
    [documentId, at],
  );
  return rows[0]?.first ?? false;
}

/** Which of these users are enabled staff of the department or a unit under it. */
export async function staffInSubtree(
  db: Db,
  userIds: string[],
  departmentPath: string,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await rawQuery<{ id: string }>(
    db,
    `select u.id from identity.users u join identity.departments d on d.id = u.department_id
     where u.id = any($1::uuid[]) and u.kind = 'staff' and not u.disabled and d.path like $2`,
    [userIds, `${departmentPath}%`],
  );
  return new Set(rows.map((r) => r.id));
}

export async function activeStaffUsernames(db: Db, usernames: string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  const rows = await rawQuery<{ username: string }>(
    db,
    "select username from identity.users where username = any($1::text[]) and kind = 'staff' and not disabled",
    [usernames],
  );
  return new Set(rows.map((r) => r.username));
}

/** The name of the top of the organisation tree (the district government). */
export async function governmentName(db: Db): Promise<string | null> {
  const [row] = await rawQuery<{ name: string }>(
    db,
    "select name from identity.departments where parent_id is null order by created_at limit 1",
    [],
  );
  return row?.name ?? null;
}
