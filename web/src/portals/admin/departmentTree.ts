import type { Department } from "../../shared/types";

export interface DepartmentNode {
  department: Department;
  children: DepartmentNode[];
  /** Staff in this department and every department under it. */
  subtreeStaff: number;
  depth: number;
}

export interface DepartmentIndex {
  roots: DepartmentNode[];
  byId: Map<string, DepartmentNode>;
}

const byCode = (a: DepartmentNode, b: DepartmentNode) =>
  a.department.code.localeCompare(b.department.code, "en", { numeric: true });

/**
 * Builds the tree from the flat list. Departments whose parent is missing become roots, and a parent
 * chain that loops is cut where it closes, so malformed data still shows every department once.
 */
export function buildDepartmentTree(departments: readonly Department[]): DepartmentIndex {
  const byId = new Map<string, DepartmentNode>();
  for (const department of departments) {
    byId.set(department.id, { department, children: [], subtreeStaff: 0, depth: 0 });
  }
  const roots: DepartmentNode[] = [];
  for (const node of byId.values()) {
    const parentId = node.department.parentId;
    const parent = parentId ? byId.get(parentId) : undefined;
    if (parent && !createsCycle(byId, node.department.id, parentId)) parent.children.push(node);
    else roots.push(node);
  }
  const visit = (node: DepartmentNode, depth: number): number => {
    node.depth = depth;
    node.children.sort(byCode);
    let total = node.department.staffCount;
    for (const child of node.children) total += visit(child, depth + 1);
    node.subtreeStaff = total;
    return total;
  };
  roots.sort(byCode);
  for (const root of roots) visit(root, 0);
  return { roots, byId };
}

function createsCycle(byId: Map<string, DepartmentNode>, id: string, parentId: string | null): boolean {
  const seen = new Set<string>([id]);
  let current = parentId;
  while (current) {
    if (seen.has(current)) return true;
    seen.add(current);
    current = byId.get(current)?.department.parentId ?? null;
  }
  return false;
}

/** The chain from a root down to the department, inclusive. */
export function pathTo(index: DepartmentIndex, id: string): DepartmentNode[] {
  const chain: DepartmentNode[] = [];
  const seen = new Set<string>();
  let node = index.byId.get(id);
  while (node && !seen.has(node.department.id)) {
    seen.add(node.department.id);
    chain.unshift(node);
    node = node.department.parentId ? index.byId.get(node.department.parentId) : undefined;
  }
  return chain;
}

export function matchesQuery(department: Department, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return (
    department.name.toLowerCase().includes(q) ||
    department.code.toLowerCase().includes(q) ||
    (department.nameEn?.toLowerCase().includes(q) ?? false)
  );
}

/**
 * For a search: the departments that match, plus every ancestor of a match (so the tree can show
 * where each match sits), and the ancestors to expand.
 */
export function searchTree(
  index: DepartmentIndex,
  query: string,
): { visible: Set<string>; expand: Set<string>; matches: number } {
  const visible = new Set<string>();
  const expand = new Set<string>();
  let matches = 0;
  for (const node of index.byId.values()) {
    if (!matchesQuery(node.department, query)) continue;
    matches += 1;
    visible.add(node.department.id);
    let parentId = node.department.parentId;
    const seen = new Set<string>();
    while (parentId && !seen.has(parentId)) {
      seen.add(parentId);
      const parent = index.byId.get(parentId);
      if (!parent) break;
      visible.add(parentId);
      expand.add(parentId);
      parentId = parent.department.parentId;
    }
  }
  return { visible, expand, matches };
}
