import { type Db, rawQuery } from "../../../kernel/db/db";
import type { ServiceItemSpec } from "./item";

/** A version of an item with its department, as lists and pages show it. */
export interface ItemVersionRow {
  id: string;
  code: string;
  version: number;
  status: string;
  publishedVersion: number | null;
  latestVersion: number;
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  departmentPath: string;
  name: string;
  itemType: string;
  lifeEvents: string[];
  applicantTypes: string[];
  promisedDays: number;
  statutoryDays: number;
  spec: Omit<ServiceItemSpec, "departmentKey">;
  publishedAt: string | null;
}

const COLUMNS = `i.id, i.code, v.version, v.status, i.published_version as "publishedVersion",
  i.latest_version as "latestVersion", i.department_id as "departmentId", d.code as "departmentCode",
  d.name as "departmentName", d.path as "departmentPath", v.name, v.item_type as "itemType",
  v.life_events as "lifeEvents", v.applicant_types as "applicantTypes", v.promised_days as "promisedDays",
  v.statutory_days as "statutoryDays", v.spec, v.published_at as "publishedAt"`;
const FROM = `services.items i join services.item_versions v on v.item_id = i.id
  join identity.departments d on d.id = i.department_id`;

/** A version of an item: the given one, or the published one (null when it has none). */
export async function findItemVersion(
  db: Db,
  itemId: string,
  version?: number | "latest",
): Promise<ItemVersionRow | null> {
  const which =
    version === "latest"
      ? "v.version = i.latest_version"
      : version === undefined
        ? "v.version = i.published_version"
        : "v.version = $2";
  const [row] = await rawQuery<ItemVersionRow>(
    db,
    `select ${COLUMNS} from ${FROM} where i.id = $1 and ${which}`,
    typeof version === "number" ? [itemId, version] : [itemId],
  );
  return row ?? null;
}

/** What does not change once a version is published (its status and the item's pointers do). */
export type FrozenVersion = Omit<
  ItemVersionRow,
  "status" | "publishedVersion" | "latestVersion" | "publishedAt"
>;
const frozen = new Map<string, FrozenVersion>();

/**
 * A version that was published once, from memory after the first read: its guide and form never
 * change again (a change is a new version), so applications read them without a query.
 */
export async function findFrozenVersion(
  db: Db,
  itemId: string,
  version: number,
): Promise<FrozenVersion | null> {
  const key = `${itemId}:${version}`;
  const known = frozen.get(key);
  if (known) return known;
  const row = await findItemVersion(db, itemId, version);
  if (!row) return null;
  const { status, publishedVersion: _p, latestVersion: _l, publishedAt: _a, ...fixed } = row;
  if (status !== "draft") {
    if (frozen.size > 10_000) frozen.clear();
    frozen.set(key, fixed);
  }
  return fixed;
}

/** Every version of an item, newest first. */
export async function listItemVersions(db: Db, itemId: string) {
  return rawQuery<{
    version: number;
    status: string;
    name: string;
    publishedAt: string | null;
    withdrawnAt: string | null;
    createdAt: string;
  }>(
    db,
    `select version, status, name, published_at as "publishedAt", withdrawn_at as "withdrawnAt", created_at as "createdAt"
       from services.item_versions where item_id = $1 order by version desc`,
    [itemId],
  );
}
