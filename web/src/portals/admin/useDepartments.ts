import { useMemo } from "react";
import { api } from "../../shared/api";
import { useRequest } from "../../shared/hooks/useRequest";
import type { Translate } from "../../shared/i18n";
import type { Department, DepartmentKind } from "../../shared/types";
import { buildDepartmentTree, type DepartmentIndex, type DepartmentNode } from "./departmentTree";

export function useDepartments() {
  const request = useRequest(
    (signal) => api.get<{ items: Department[] }>("/api/admin/departments", undefined, signal),
    [],
  );
  const items = request.data?.items;
  const index = useMemo<DepartmentIndex | null>(() => (items ? buildDepartmentTree(items) : null), [items]);
  return { ...request, items, index };
}

export interface TreeSelectNode {
  value: string;
  title: string;
  label: string;
  children?: TreeSelectNode[];
}

/** Tree data for an antd TreeSelect: the title carries name and code so search finds either. */
export function treeSelectData(index: DepartmentIndex | null): TreeSelectNode[] {
  if (!index) return [];
  const convert = (node: DepartmentNode): TreeSelectNode => ({
    value: node.department.id,
    title: `${node.department.name} (${node.department.code})`,
    label: node.department.name,
    ...(node.children.length ? { children: node.children.map(convert) } : {}),
  });
  return index.roots.map(convert);
}

export function departmentKindName(kind: DepartmentKind | string, t: Translate): string {
  switch (kind) {
    case "government":
      return t("deptKind.government");
    case "bureau":
      return t("deptKind.bureau");
    case "office":
      return t("deptKind.office");
    case "subdistrict":
      return t("deptKind.subdistrict");
    case "community":
      return t("deptKind.community");
    case "grid":
      return t("deptKind.grid");
    default:
      return kind;
  }
}

export const KIND_COLORS: Record<string, string> = {
  government: "red",
  bureau: "blue",
  office: "geekblue",
  subdistrict: "purple",
  community: "cyan",
  grid: "green",
};
