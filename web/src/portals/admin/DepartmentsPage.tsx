import { PlusOutlined, ReloadOutlined, SearchOutlined, TeamOutlined } from "@ant-design/icons";
import {
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from "antd";
import type { DataNode } from "antd/es/tree";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { formatNumber } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useLocale, useT } from "../../shared/i18n";
import type { Department } from "../../shared/types";
import { CreateDepartmentModal, RenameDepartmentModal } from "./DepartmentForms";
import { type DepartmentIndex, type DepartmentNode, pathTo, searchTree } from "./departmentTree";
import { departmentKindName, KIND_COLORS, useDepartments } from "./useDepartments";

function Highlight({ text, query }: { text: string; query: string }) {
  const q = query.trim();
  if (!q) return <>{text}</>;
  const at = text.toLowerCase().indexOf(q.toLowerCase());
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="ff-mark">{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </>
  );
}

interface TreeItem extends DataNode {
  key: string;
  node: DepartmentNode;
  children?: TreeItem[];
}

function toTreeData(index: DepartmentIndex, visible: Set<string> | null): TreeItem[] {
  const convert = (node: DepartmentNode): TreeItem | null => {
    if (visible && !visible.has(node.department.id)) return null;
    const children = node.children.map(convert).filter((c): c is TreeItem => c !== null);
    return {
      key: node.department.id,
      title: node.department.name,
      node,
      isLeaf: children.length === 0,
      ...(children.length ? { children } : {}),
    };
  };
  return index.roots.map(convert).filter((c): c is TreeItem => c !== null);
}

export function DepartmentsPage() {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const { items, index, error, loading, reload, setData } = useDepartments();
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState<string[]>([]);
  const [createFor, setCreateFor] = useState<{ parent: Department | null } | null>(null);
  const [renaming, setRenaming] = useState<Department | null>(null);
  const selectedId = params.get("id");
  const selected = selectedId && index ? (index.byId.get(selectedId) ?? null) : null;

  // Typing stays responsive: the tree follows the deferred query.
  const deferredQuery = useDeferredValue(query);
  const search = useMemo(
    () => (index && deferredQuery.trim() ? searchTree(index, deferredQuery) : null),
    [index, deferredQuery],
  );
  const treeData = useMemo(() => (index ? toTreeData(index, search?.visible ?? null) : []), [index, search]);

  // First load: open the top two levels.
  useEffect(() => {
    if (!index || expanded.length) return;
    setExpanded(index.roots.map((r) => r.department.id));
  }, [index, expanded.length]);

  // A search opens the ancestors of every match.
  useEffect(() => {
    if (search) setExpanded([...search.expand]);
  }, [search]);

  // A department picked by URL has its ancestors opened.
  useEffect(() => {
    if (!index || !selectedId) return;
    const ancestors = pathTo(index, selectedId)
      .slice(0, -1)
      .map((n) => n.department.id);
    setExpanded((current) => [...new Set([...current, ...ancestors])]);
  }, [index, selectedId]);

  // On phones the detail sits under the tree: bring it into view when a department is picked.
  const detailRef = useRef<HTMLDivElement>(null);
  const picked = useRef(false);
  useEffect(() => {
    if (!mobile || !selectedId || !picked.current) return;
    picked.current = false;
    detailRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [mobile, selectedId]);

  const select = (id: string | null) => {
    picked.current = true;
    const next = new URLSearchParams(params);
    if (id) next.set("id", id);
    else next.delete("id");
    setParams(next, { replace: true });
  };

  const upsert = (department: Department) => {
    setData((current) => {
      const list = current?.items ?? [];
      const at = list.findIndex((d) => d.id === department.id);
      const nextList =
        at >= 0 ? list.map((d) => (d.id === department.id ? department : d)) : [...list, department];
      return { items: nextList };
    });
  };

  const totalStaff = useMemo(() => (items ?? []).reduce((sum, d) => sum + d.staffCount, 0), [items]);

  return (
    <div data-testid="admin-departments">
      <PageHeader
        title={t("nav.admin.departments")}
        subtitle={
          items
            ? t("dept.summary", {
                departments: formatNumber(items.length, locale),
                staff: formatNumber(totalStaff, locale),
              })
            : t("dept.subtitle")
        }
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreateFor({ parent: null })}
              disabled={!index}
              data-testid="dept-create"
            >
              {t("dept.create")}
            </Button>
          </Space>
        }
      />
      <ProblemAlert error={error} onRetry={reload} style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xl={9}>
          <Card className="ff-card" title={t("dept.structure")}>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t("dept.searchPlaceholder")}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              data-testid="dept-search"
              style={{ marginBottom: 8 }}
            />
            {search && (
              <div className="ff-muted ff-small" data-testid="dept-search-count">
                {t("dept.searchMatches", { count: search.matches })}
              </div>
            )}
            {loading && !index ? (
              <Skeleton active paragraph={{ rows: 8 }} />
            ) : treeData.length === 0 ? (
              <Empty description={search ? t("dept.searchNone") : t("dept.empty")} />
            ) : (
              <Tree<TreeItem>
                className="ff-dept-tree"
                data-testid="dept-tree"
                treeData={treeData}
                height={mobile ? 380 : 620}
                virtual
                blockNode
                showLine={{ showLeafIcon: false }}
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys.map(String))}
                selectedKeys={selected ? [selected.department.id] : []}
                onSelect={(keys) => select(keys[0] === undefined ? null : String(keys[0]))}
                titleRender={(item) => (
                  <span className="ff-dept-node" data-testid={`dept-node-${item.node.department.code}`}>
                    <span className="ff-dept-node-name">
                      <Highlight text={item.node.department.name} query={deferredQuery} />
                    </span>
                    <span className="ff-dept-node-count">{item.node.subtreeStaff}</span>
                  </span>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15} ref={detailRef} className="ff-detail-col">
          {selected && index ? (
            <DepartmentDetail
              node={selected}
              index={index}
              onSelect={select}
              onRename={() => setRenaming(selected.department)}
              onCreateChild={() => setCreateFor({ parent: selected.department })}
            />
          ) : (
            <Card className="ff-card">
              <Empty description={t("dept.selectHint")} />
            </Card>
          )}
        </Col>
      </Row>
      <CreateDepartmentModal
        open={createFor !== null}
        index={index}
        parent={createFor?.parent ?? null}
        onClose={() => setCreateFor(null)}
        onCreated={(d) => {
          upsert(d);
          setCreateFor(null);
          select(d.id);
        }}
      />
      <RenameDepartmentModal
        department={renaming}
        onClose={() => setRenaming(null)}
        onRenamed={(d) => {
          upsert(d);
          setRenaming(null);
        }}
      />
    </div>
  );
}

interface ChildRow {
  id: string;
  name: string;
  code: string;
  kind: string;
  staff: number;
}

function DepartmentDetail({
  node,
  index,
  onSelect,
  onRename,
  onCreateChild,
}: {
  node: DepartmentNode;
  index: DepartmentIndex;
  onSelect: (id: string) => void;
  onRename: () => void;
  onCreateChild: () => void;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const d = node.department;
  const chain = pathTo(index, d.id);
  const parent = d.parentId ? index.byId.get(d.parentId) : undefined;

  return (
    <Card
      className="ff-card"
      data-testid="dept-detail"
      title={
        <span className="ff-card-title-wrap">
          {d.name} <Tag color={KIND_COLORS[d.kind]}>{departmentKindName(d.kind, t)}</Tag>
        </span>
      }
    >
      <Breadcrumb
        className="ff-dept-path"
        items={chain.map((n) => ({
          key: n.department.id,
          title:
            n.department.id === d.id ? (
              n.department.name
            ) : (
              <button type="button" className="ff-link-button" onClick={() => onSelect(n.department.id)}>
                {n.department.name}
              </button>
            ),
        }))}
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Button onClick={onRename} data-testid="dept-rename">
          {t("dept.rename")}
        </Button>
        <Button icon={<PlusOutlined />} onClick={onCreateChild} data-testid="dept-create-child">
          {t("dept.createChild")}
        </Button>
        <Link to={`/admin/staff?departmentId=${encodeURIComponent(d.id)}`}>
          <Button icon={<TeamOutlined />} data-testid="dept-view-staff">
            {t("dept.viewStaff")}
          </Button>
        </Link>
      </Space>
      <Descriptions bordered size="small" column={mobile ? 1 : 2}>
        <Descriptions.Item label={t("dept.name")}>{d.name}</Descriptions.Item>
        <Descriptions.Item label={t("dept.nameEn")}>{d.nameEn ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("dept.code")}>
          <Typography.Text code copyable>
            {d.code}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t("dept.kind")}>{departmentKindName(d.kind, t)}</Descriptions.Item>
        <Descriptions.Item label={t("dept.parent")}>
          {parent ? (
            <button type="button" className="ff-link-button" onClick={() => onSelect(parent.department.id)}>
              {parent.department.name}
            </button>
          ) : (
            "—"
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t("dept.children")}>{node.children.length}</Descriptions.Item>
        <Descriptions.Item label={t("dept.staffCount")}>{d.staffCount}</Descriptions.Item>
        <Descriptions.Item label={t("dept.subtreeStaff")}>{node.subtreeStaff}</Descriptions.Item>
      </Descriptions>
      {node.children.length > 0 && (
        <>
          <Typography.Title level={5} className="ff-section-title">
            {t("dept.childList")}
          </Typography.Title>
          <Table<ChildRow>
            size="small"
            rowKey="id"
            dataSource={node.children.map((n) => ({
              id: n.department.id,
              name: n.department.name,
              code: n.department.code,
              kind: n.department.kind,
              staff: n.subtreeStaff,
            }))}
            pagination={node.children.length > 10 ? { pageSize: 10, size: "small" } : false}
            scroll={{ x: 520 }}
            onRow={(row) => ({ onClick: () => onSelect(row.id), className: "ff-clickable-row" })}
            columns={[
              { title: t("dept.name"), dataIndex: "name" },
              { title: t("dept.code"), dataIndex: "code", width: 140 },
              {
                title: t("dept.kind"),
                dataIndex: "kind",
                width: 110,
                render: (kind: string) => <Tag color={KIND_COLORS[kind]}>{departmentKindName(kind, t)}</Tag>,
              },
              { title: t("dept.subtreeStaff"), dataIndex: "staff", width: 110, align: "right" },
            ]}
          />
        </>
      )}
    </Card>
  );
}
