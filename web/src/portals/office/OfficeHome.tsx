import { CheckSquareOutlined, PlusCircleOutlined, RightOutlined } from "@ant-design/icons";
import { Card, Col, Empty, Spin, Tag } from "antd";
import { Link } from "react-router";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { WelcomePage } from "../../shared/components/WelcomePage";
import { formatDateTime } from "../../shared/format";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { listTasks } from "../../shared/workflow";
import { DueTag } from "./workflowParts";

const INBOX_PREVIEW_SIZE = 5;

/** The first open tasks, each a link into the inbox with its detail open. */
function TodoCard() {
  const t = useT();
  const todo = useRequest(
    (signal) => listTasks({ view: "todo", page: 1, pageSize: INBOX_PREVIEW_SIZE }, signal),
    [],
  );
  const items = todo.data?.items ?? [];
  return (
    <Card
      title={
        <span>
          {t("office.todo")}
          {todo.data && todo.data.total > 0 && (
            <Tag color="blue" className="ff-todo-count" data-testid="office-todo-count">
              {todo.data.total}
            </Tag>
          )}
        </span>
      }
      extra={
        <Link to="/office/tasks" data-testid="office-todo-all">
          {t("office.todoAll")} <RightOutlined />
        </Link>
      }
      className="ff-card"
      data-testid="office-todo"
    >
      <ProblemAlert error={todo.error} onRetry={todo.reload} />
      {todo.loading && !todo.data && <Spin className="ff-block-spin" />}
      {todo.data && items.length === 0 && (
        <Empty
          image={<CheckSquareOutlined className="ff-empty-icon" />}
          description={
            <span>
              <strong className="ff-empty-title">{t("office.todoEmpty")}</strong>
              <br />
              <span className="ff-muted">{t("office.todoHint")}</span>
            </span>
          }
        />
      )}
      {items.length > 0 && (
        <ul className="ff-todo-list">
          {items.map((task) => (
            <li key={task.id}>
              <Link
                to={`/office/tasks?task=${encodeURIComponent(task.id)}`}
                className="ff-todo-item"
                data-testid={`office-todo-${task.id}`}
              >
                <span className="ff-todo-name">
                  <strong>{task.name}</strong>
                  <span className="ff-muted ff-small">
                    {task.processName}
                    {task.businessKey ? ` · ${task.businessKey}` : ""}
                  </span>
                </span>
                <span className="ff-todo-meta ff-small">
                  {task.dueAt ? (
                    <DueTag dueAt={task.dueAt} overdue={task.overdue} />
                  ) : (
                    <span className="ff-muted">{formatDateTime(task.createdAt).slice(0, 16)}</span>
                  )}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** A way to 发起流程 (start a process) from the desk. */
function StartCard() {
  const t = useT();
  return (
    <Link to="/office/start" className="ff-section-link" data-testid="office-start-link">
      <Card className="ff-card ff-card-fill ff-section-card" hoverable size="small">
        <div className="ff-section-card-head">
          <span className="ff-section-card-icon">
            <PlusCircleOutlined />
          </span>
          <span className="ff-start-link-text">
            <span className="ff-section-card-title">{t("nav.office.start")}</span>
            <span className="ff-muted ff-small">{t("office.startDesc")}</span>
          </span>
          <RightOutlined className="ff-section-card-arrow" />
        </div>
      </Card>
    </Link>
  );
}

/** 一网协同: the civil servant's desk. */
export function OfficeHome() {
  return (
    <WelcomePage
      portal="office"
      capabilities={[
        "office.cap.documents",
        "office.cap.approvals",
        "office.cap.meetings",
        "office.cap.supervision",
      ]}
    >
      <Col xs={24}>
        <StartCard />
      </Col>
      <Col xs={24}>
        <TodoCard />
      </Col>
    </WelcomePage>
  );
}
