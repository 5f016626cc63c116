import { TreeSelect } from "antd";
import { useMemo } from "react";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { listOrgDepartments, type OrgDepartment } from "../../../shared/office";

/** Grids (网格) take part in cases, not in documents or supervision. */
const PICKABLE = (d: OrgDepartment) => d.kind !== "grid";

let loaded: Promise<OrgDepartment[]> | null = null;

/** The organisation tree, loaded once per page load and shared by every picker. */
function loadDepartments(): Promise<OrgDepartment[]> {
  loaded ??= listOrgDepartments().then(
    (r) => r.items,
    (error: unknown) => {
      loaded = null;
      throw error;
    },
  );
  return loaded;
}

export function useOrgDepartments() {
  return useRequest(() => loadDepartments(), []);
}

interface TreeNode {
  value: string;
  title: string;
  children?: TreeNode[];
}

function treeOf(departments: readonly OrgDepartment[]): TreeNode[] {
  const pickable = departments.filter(PICKABLE);
  const ids = new Set(pickable.map((d) => d.id));
  const children = new Map<string | null, OrgDepartment[]>();
  for (const d of pickable) {
    const parent = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const build = (parent: string | null): TreeNode[] =>
    (children.get(parent) ?? []).map((d) => {
      const below = build(d.id);
      return below.length ? { value: d.id, title: d.name, children: below } : { value: d.id, title: d.name };
    });
  return build(null);
}

/** Whether `departmentId` is `ancestorId` or lies under it. */
export function isWithin(
  departments: readonly OrgDepartment[],
  departmentId: string,
  ancestorId: string,
): boolean {
  const byId = new Map(departments.map((d) => [d.id, d]));
  let current: OrgDepartment | undefined = byId.get(departmentId);
  for (let guard = 0; current && guard < 64; guard++) {
    if (current.id === ancestorId) return true;
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return false;
}

type PickerProps = {
  testId: string;
  placeholder?: string;
  /** Form.Item passes these. */
  value?: string | string[];
  onChange?: (value: string | string[]) => void;
} & ({ multiple: true } | { multiple?: false });

/** Picks one or several departments from the organisation tree, searchable by name. */
export function DepartmentPicker({ testId, placeholder, value, onChange, multiple }: PickerProps) {
  const t = useT();
  const departments = useOrgDepartments();
  const tree = useMemo(() => treeOf(departments.data ?? []), [departments.data]);
  const root = tree[0]?.value;
  return (
    <TreeSelect
      className="ff-full-width"
      treeData={tree}
      value={value}
      onChange={onChange}
      multiple={multiple ?? false}
      allowClear
      showSearch={{ treeNodeFilterProp: "title" }}
      treeDefaultExpandedKeys={root ? [root] : []}
      loading={departments.loading}
      placeholder={placeholder ?? t("office.doc.pickDepartments")}
      notFoundContent={departments.error ? t("office.doc.departmentsFailed") : undefined}
      listHeight={320}
      popupMatchSelectWidth
      data-testid={testId}
    />
  );
}
