import {
  CheckOutlined,
  FileTextOutlined,
  NodeIndexOutlined,
  SwapOutlined,
  UserAddOutlined,
} from "@ant-design/icons";
import { App, Button, Card, Descriptions, Drawer, Space, Spin, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { useMe } from "../../shared/auth";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { errorMessage } from "../../shared/errors";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { claimTask, getInstance, getTask, type Task, type TaskDetail } from "../../shared/workflow";
import { DelegateModal } from "./DelegateModal";
import { documentOfTask } from "./documents/docParts";
import { TaskForm } from "./TaskForm";
import { DueTag, HistoryTimeline, InstanceDiagram, TaskStateTag } from "./workflowParts";

function TaskFields({ task }: { task: TaskDetail }) {
  const t = useT();
  const mobile = useIsMobile();
  const candidates = [...task.candidateGroups, ...task.candidateUsers];
  return (
    <Descriptions bordered size="small" column={mobile ? 1 : 2} data-testid="task-fields">
      <Descriptions.Item label={t("task.process")}>{task.processName}</Descriptions.Item>
      <Descriptions.Item label={t("task.businessKey")}>
        <span className="ff-mono ff-break">{task.businessKey ?? "—"}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("task.state")}>
        <TaskStateTag state={task.state} t={t} />
      </Descriptions.Item>
      <Descriptions.Item label={t("task.assignee")}>
        {task.assignee ? (
          <span data-testid="task-assignee">{task.assignee.name}</span>
        ) : (
          <Tag color="gold" data-testid="task-unassigned">
            {t("task.unassigned")}
          </Tag>
        )}
      </Descriptions.Item>
      {candidates.length > 0 && (
        <Descriptions.Item label={t("task.candidates")} span={mobile ? 1 : 2}>
          <span className="ff-tag-wrap">
            {candidates.map((c) => (
              <Tag key={c}>{c}</Tag>
            ))}
          </span>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t("task.createdAt")}>{formatDateTime(task.createdAt)}</Descriptions.Item>
      <Descriptions.Item label={t("task.dueAt")}>
        <DueTag dueAt={task.dueAt} overdue={task.overdue} open={task.state === "open"} />
      </Descriptions.Item>
      {task.completedAt && (
        <Descriptions.Item label={t("task.completedAt")}>
          {formatDateTime(task.completedAt)}
          {task.completedBy ? ` · ${task.completedBy.name}` : ""}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** Where the task's instance stands: its diagram with the current position, and its history. */
function InstancePanel({ instanceId }: { instanceId: string }) {
  const t = useT();
  const instance = useRequest((signal) => getInstance(instanceId, signal), [instanceId]);
  return (
    <>
      <Typography.Title level={5} className="ff-section-title">
        {t("instance.diagram")}
      </Typography.Title>
      <ProblemAlert error={instance.error} onRetry={instance.reload} />
      {instance.loading && !instance.data && <Spin className="ff-block-spin" />}
      {instance.data && <InstanceDiagram instance={instance.data} />}
      <Typography.Title level={5} className="ff-section-title">
        {t("instance.history")}
      </Typography.Title>
      {instance.data && <HistoryTimeline history={instance.data.history} />}
    </>
  );
}

/** A task's details, its actions (claim, complete with its form, delegate) and its instance. */
export function TaskDrawer({
  taskId,
  onClose,
  onChanged,
}: {
  taskId: string | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const t = useT();
  const me = useMe();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const task = useRequest((signal) => (taskId ? getTask(taskId, signal) : Promise.resolve(null)), [taskId]);
  const [completing, setCompleting] = useState(false);
  const [delegating, setDelegating] = useState<Task | null>(null);
  const [claiming, setClaiming] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another task starts in view mode
  useEffect(() => setCompleting(false), [taskId]);

  const data = task.data && task.data.id === taskId ? task.data : null;
  const open = data?.state === "open";
  const mine = data?.assignee?.id === me.id;
  const unassigned = data !== null && data.assignee === null;

  const claim = async () => {
    if (!data) return;
    setClaiming(true);
    try {
      const claimed = await claimTask(data.id);
      task.setData((current) => (current ? { ...current, ...claimed } : current));
      message.success(t("task.claimed"));
      onChanged();
    } catch (error) {
      message.error(errorMessage(error, t));
      task.reload();
    } finally {
      setClaiming(false);
    }
  };

  const completed = () => {
    message.success(t("task.completed", { name: data?.name ?? "" }));
    onChanged();
    onClose();
  };

  return (
    <Drawer
      open={taskId !== null}
      onClose={onClose}
      size={mobile ? "100%" : 760}
      placement="right"
      destroyOnHidden
      title={data?.name ?? t("task.detail")}
      extra={
        data && (
          <Link
            to={`/office/instances/${encodeURIComponent(data.instanceId)}`}
            data-testid="task-open-instance"
          >
            <NodeIndexOutlined /> {!mobile && t("task.openInstance")}
          </Link>
        )
      }
    >
      <div data-testid="task-drawer">
        <ProblemAlert error={task.error} onRetry={task.reload} style={{ marginBottom: 16 }} />
        {task.loading && !data && <Spin className="ff-block-spin" />}
        {data && (
          <>
            {documentOfTask(data) && (
              <Link
                to={`/office/documents/${encodeURIComponent(documentOfTask(data) ?? "")}`}
                className="ff-task-document"
                data-testid="task-open-document"
              >
                <FileTextOutlined /> {t("office.doc.openFromTask")}
              </Link>
            )}
            {open && (
              <Space wrap className="ff-task-actions">
                {unassigned && (
                  <Button
                    type="primary"
                    icon={<UserAddOutlined />}
                    loading={claiming}
                    onClick={() => void claim()}
                    data-testid="task-claim"
                  >
                    {t("task.claim")}
                  </Button>
                )}
                {(mine || unassigned) && (
                  <Button
                    type={unassigned ? "default" : "primary"}
                    icon={<CheckOutlined />}
                    onClick={() => setCompleting(true)}
                    disabled={completing}
                    data-testid="task-complete"
                  >
                    {t("task.complete")}
                  </Button>
                )}
                {(mine || unassigned) && (
                  <Button
                    icon={<SwapOutlined />}
                    onClick={() => setDelegating(data)}
                    data-testid="task-delegate"
                  >
                    {t("task.delegate")}
                  </Button>
                )}
                {!mine && !unassigned && (
                  <span className="ff-muted">
                    {t("task.assignedToOther", { name: data.assignee?.name ?? "" })}
                  </span>
                )}
              </Space>
            )}
            {completing && open && (
              <Card className="ff-card ff-task-form-card" title={t("task.completeTitle")} size="small">
                <TaskForm task={data} onCompleted={completed} onCancel={() => setCompleting(false)} />
              </Card>
            )}
            <TaskFields task={data} />
            <InstancePanel instanceId={data.instanceId} />
          </>
        )}
      </div>
      <DelegateModal
        task={delegating}
        onClose={() => setDelegating(null)}
        onDelegated={(delegated) => {
          setDelegating(null);
          message.success(t("task.delegated", { name: delegated.assignee?.name ?? "" }));
          onChanged();
          onClose();
        }}
      />
    </Drawer>
  );
}
