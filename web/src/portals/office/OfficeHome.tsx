import {
  CheckSquareOutlined,
  FileTextOutlined,
  FlagOutlined,
  MessageOutlined,
  PlusCircleOutlined,
  RightOutlined,
} from "@ant-design/icons";
import { Badge, Card, Col, Empty, Spin, Tag } from "antd";
import { Link } from "react-router";
import { useMe } from "../../shared/auth";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { WelcomePage } from "../../shared/components/WelcomePage";
import { formatDateTime } from "../../shared/format";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { listDocuments, listSupervision, unreadMessages } from "../../shared/office";
import { listTasks } from "../../shared/workflow";
import { DocMarks, documentOfTask } from "./documents/docParts";
import { CalendarCard, NoticesCard, StatsCard, taskLink } from "./OfficeHomeCards";
import { LightDot } from "./supervision/supParts";
import { DueTag } from "./workflowParts";
import "./OfficeHome.css";

const INBOX_PREVIEW_SIZE = 5;
const PREVIEW_SIZE = 5;

/** The first open tasks, each a link to where it is done: the document, or the inbox with it open. */
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
      className="ff-card ff-card-fill"
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
              <Link to={taskLink(task)} className="ff-todo-item" data-testid={`office-todo-${task.id}`}>
                <span className="ff-todo-name">
                  <strong>{task.name}</strong>
                  <span className="ff-muted ff-small">
                    {task.processName}
                    {task.subject
                      ? ` · ${task.subject}`
                      : task.businessKey && !documentOfTask(task)
                        ? ` · ${task.businessKey}`
                        : ""}
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

/** 待阅公文: documents that arrived for my department that I have not opened yet. */
function DocumentsCard() {
  const t = useT();
  const docs = useRequest(
    (signal) => listDocuments({ direction: "incoming", unread: true, pageSize: PREVIEW_SIZE }, signal),
    [],
  );
  const items = docs.data?.items ?? [];
  return (
    <Card
      title={
        <span>
          <FileTextOutlined /> {t("office.portal.docs")}
          {docs.data && docs.data.total > 0 && (
            <Tag color="orange" className="ff-todo-count" data-testid="portal-docs-count">
              {docs.data.total}
            </Tag>
          )}
        </span>
      }
      extra={
        <Link to="/office/documents?direction=incoming" data-testid="portal-docs-all">
          {t("office.portal.all")} <RightOutlined />
        </Link>
      }
      className="ff-card ff-card-fill"
      data-testid="portal-docs"
    >
      <ProblemAlert error={docs.error} onRetry={docs.reload} />
      {docs.loading && !docs.data && <Spin className="ff-block-spin" />}
      {docs.data && items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.portal.docsEmpty")} />
      )}
      {items.length > 0 && (
        <ul className="ff-todo-list">
          {items.map((doc) => (
            <li key={doc.id}>
              <Link
                to={`/office/documents/${encodeURIComponent(doc.id)}`}
                className="ff-todo-item"
                data-testid={`portal-doc-${doc.id}`}
              >
                <span className="ff-todo-name">
                  <strong>{doc.title}</strong>
                  <span className="ff-muted ff-small">
                    <DocMarks urgency={doc.urgency} classification={doc.classification} t={t} />
                    {doc.number ?? doc.organMark} · {doc.departmentName}
                  </span>
                </span>
                <span className="ff-todo-meta ff-small ff-muted">
                  {formatDateTime(doc.createdAt).slice(5, 16)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** 督办事项: open items of my department, the most urgent first, with their lights. */
function SupervisionCard() {
  const t = useT();
  const items = useRequest((signal) => listSupervision({ status: "open", limit: PREVIEW_SIZE }, signal), []);
  return (
    <Card
      title={
        <span>
          <FlagOutlined /> {t("office.portal.supervision")}
        </span>
      }
      extra={
        <Link to="/office/supervision" data-testid="portal-supervision-all">
          {t("office.portal.all")} <RightOutlined />
        </Link>
      }
      className="ff-card ff-card-fill"
      data-testid="portal-supervision"
    >
      <ProblemAlert error={items.error} onRetry={items.reload} />
      {items.loading && !items.data && <Spin className="ff-block-spin" />}
      {items.data && items.data.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.portal.supervisionEmpty")} />
      )}
      {items.data && items.data.length > 0 && (
        <ul className="ff-todo-list">
          {items.data.map((item) => (
            <li key={item.id}>
              <Link
                to={`/office/supervision/${encodeURIComponent(item.id)}`}
                className="ff-todo-item"
                data-testid={`portal-sup-${item.id}`}
                data-light={item.light}
              >
                <span className="ff-todo-name">
                  <strong className="ff-portal-sup-title">
                    <LightDot light={item.light} t={t} /> {item.title}
                  </strong>
                  <span className="ff-muted ff-small">
                    {item.leadDepartmentName} · {item.progress}%
                  </span>
                </span>
                <span className="ff-todo-meta ff-small ff-muted">
                  {t("office.sup.dueOn", { date: formatDateTime(item.dueAt).slice(0, 10) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** 消息: the way to chat, with how many messages wait unread. */
function MessagesCard() {
  const t = useT();
  const unread = useRequest((signal) => unreadMessages(signal), []);
  return (
    <Link to="/office/chat" className="ff-section-link" data-testid="portal-messages">
      <Card className="ff-card ff-card-fill ff-section-card" hoverable size="small">
        <div className="ff-section-card-head">
          <span className="ff-section-card-icon">
            <Badge count={unread.data ?? 0} size="small" data-testid="portal-messages-unread">
              <MessageOutlined />
            </Badge>
          </span>
          <span className="ff-start-link-text">
            <span className="ff-section-card-title">{t("office.portal.messages")}</span>
            <span className="ff-muted ff-small">
              {unread.data
                ? t("office.portal.unreadMessages", { count: unread.data })
                : t("office.portal.messagesDesc")}
            </span>
          </span>
          <RightOutlined className="ff-section-card-arrow" />
        </div>
      </Card>
    </Link>
  );
}

/** 一网协同: the civil servant's work portal — every network's tasks, documents, supervision, messages. */
export function OfficeHome() {
  const me = useMe();
  const leader = me.roles.includes("leader");
  return (
    <WelcomePage portal="office" capabilities={["office.cap.approvals"]}>
      <Col xs={24} md={12}>
        <StartCard />
      </Col>
      <Col xs={24} md={12}>
        <MessagesCard />
      </Col>
      {leader && (
        <Col xs={24}>
          <StatsCard />
        </Col>
      )}
      <Col xs={24} xl={12}>
        <TodoCard />
      </Col>
      <Col xs={24} xl={12}>
        <DocumentsCard />
      </Col>
      <Col xs={24} xl={12}>
        <SupervisionCard />
      </Col>
      <Col xs={24} xl={12}>
        <NoticesCard />
      </Col>
      <Col xs={24}>
        <CalendarCard />
      </Col>
    </WelcomePage>
  );
}
