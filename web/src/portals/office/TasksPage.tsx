import { ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Input, Select, Tabs, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useSearchParams } from "react-router";
import { PagedList } from "../../shared/components/PagedList";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { positiveInt, useSearchDraft, useUpdateParams } from "../../shared/params";
import { listProcesses, listTasks, TASK_VIEWS, type Task, type TaskView } from "../../shared/workflow";
import { TaskDrawer } from "./TaskDrawer";
import { DueTag } from "./workflowParts";

function Assignee({ task, t }: { task: Task; t: Translate }) {
  if (task.assignee) return <span>{task.assignee.name}</span>;
  if (task.state !== "open") return <span className="ff-muted">—</span>;
  return <Tag color="gold">{t("task.unassigned")}</Tag>;
}

function TaskCard({ task, onOpen, t }: { task: Task; onOpen: () => void; t: Translate }) {
  return (
    <button type="button" className="ff-task-card" onClick={onOpen} data-testid={`inbox-row-${task.id}`}>
      <span className="ff-task-card-head">
        <strong>{task.name}</strong>
        <Assignee task={task} t={t} />
      </span>
      {task.subject && <span className="ff-task-subject">{task.subject}</span>}
      <span className="ff-muted ff-small">
        {task.processName}
        {task.businessKey && !task.subject ? ` · ${task.businessKey}` : ""}
      </span>
      <span className="ff-task-card-meta ff-small">
        <span className="ff-muted">{formatDateTime(task.createdAt).slice(0, 16)}</span>
        <DueTag dueAt={task.dueAt} overdue={task.overdue} open={task.state === "open"} />
      </span>
    </button>
  );
}

/** 待办事项: every network's tasks in one inbox — to do, done, started by me, copied to me. */
export function TasksPage() {
  const t = useT();
  const mobile = useIsMobile();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const viewParam = params.get("view") ?? "";
  const view: TaskView = (TASK_VIEWS as readonly string[]).includes(viewParam)
    ? (viewParam as TaskView)
    : "todo";
  const q = params.get("q") ?? "";
  const processKey = params.get("processKey") ?? "";
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  const openTask = params.get("task");
  const [qDraft, setQDraft] = useSearchDraft("q");

  const processes = useRequest((signal) => listProcesses(signal), []);
  const list = useRequest(
    (signal) => listTasks({ view, q, processKey, page, pageSize }, signal),
    [view, q, processKey, page, pageSize],
  );

  const open = (task: Task) => update({ task: task.id }, true);

  const columns: ColumnsType<Task> = [
    {
      title: t("task.name"),
      dataIndex: "name",
      width: 260,
      render: (v: string, task) => (
        <span>
          <strong>{v}</strong>
          {task.subject && <div className="ff-muted ff-small ff-task-subject">{task.subject}</div>}
        </span>
      ),
    },
    { title: t("task.process"), dataIndex: "processName", width: 180, ellipsis: true },
    {
      title: t("task.businessKey"),
      dataIndex: "businessKey",
      width: 170,
      ellipsis: true,
      render: (v: string | null) => <span className="ff-mono">{v ?? "—"}</span>,
    },
    {
      title: t("task.createdAt"),
      dataIndex: "createdAt",
      width: 150,
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
    view === "done"
      ? {
          title: t("task.completedAt"),
          dataIndex: "completedAt",
          width: 150,
          render: (v: string | null) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
        }
      : {
          title: t("task.dueAt"),
          key: "dueAt",
          width: 200,
          render: (_, task) => (
            <DueTag dueAt={task.dueAt} overdue={task.overdue} open={task.state === "open"} />
          ),
        },
    {
      title: t("task.assignee"),
      key: "assignee",
      width: 120,
      render: (_, task) => <Assignee task={task} t={t} />,
    },
  ];

  const items = list.data?.items ?? [];
  const empty = <Empty description={t(`inbox.empty.${view}`)} />;

  return (
    <div data-testid="office-tasks">
      <PageHeader
        title={t("nav.office.tasks")}
        subtitle={t("inbox.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={view}
        onChange={(key) => update({ view: key === "todo" ? null : key, page: null })}
        items={TASK_VIEWS.map((v) => ({
          key: v,
          label: <span data-testid={`inbox-tab-${v}`}>{t(`inbox.tab.${v}`)}</span>,
        }))}
        className="ff-inbox-tabs"
      />
      <Card className="ff-card ff-filter-card ff-inbox-filters">
        <div className="ff-filters">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            onPressEnter={() => update({ q: qDraft.trim() || null, page: null })}
            placeholder={t("inbox.searchPlaceholder")}
            className="ff-filter-search"
            data-testid="inbox-search"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            value={processKey || undefined}
            onChange={(v: string | undefined) => update({ processKey: v ?? null, page: null })}
            placeholder={t("inbox.filterProcess")}
            loading={processes.loading}
            options={(processes.data?.items ?? []).map((p) => ({ value: p.key, label: p.name }))}
            className="ff-filter-process"
            data-testid="inbox-filter-process"
          />
        </div>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        <PagedList<Task>
          mobile={mobile}
          items={items}
          total={list.data?.total ?? 0}
          loading={list.loading}
          page={page}
          pageSize={pageSize}
          onPage={update}
          columns={columns}
          card={(task) => <TaskCard key={task.id} task={task} onOpen={() => open(task)} t={t} />}
          onOpen={open}
          empty={empty}
          testId="inbox"
          rowTestId="inbox-row"
        />
      </Card>
      <TaskDrawer taskId={openTask} onClose={() => update({ task: null })} onChanged={list.reload} />
    </div>
  );
}
