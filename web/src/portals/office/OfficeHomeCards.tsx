import {
  BarChartOutlined,
  CalendarOutlined,
  LeftOutlined,
  NotificationOutlined,
  RightOutlined,
} from "@ant-design/icons";
import { App, Badge, Button, Card, Col, Empty, Row, Space, Spin, Tag } from "antd";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { isApiError } from "../../shared/api";
import { useMe } from "../../shared/auth";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { errorMessage } from "../../shared/errors";
import { formatDate, formatDateTime, shanghaiToday } from "../../shared/format";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Locale, useLocale, useT } from "../../shared/i18n";
import {
  type DocDirection,
  documentStats,
  getHolidayYear,
  getSupervisionBoard,
  LIGHTS,
  listNotices,
  markNoticeRead,
  type Notice,
} from "../../shared/office";
import type { HolidayEntry } from "../../shared/types";
import { listTasks, type Task } from "../../shared/workflow";
import { monthCells, WEEKDAY_KEYS } from "../admin/calendarModel";
import { documentOfTask, statusName } from "./documents/docParts";
import { LightBar, LightDot } from "./supervision/supParts";

const NOTICE_PREVIEW_SIZE = 6;
/** The most open tasks the calendar marks: the inbox's page limit. */
const CALENDAR_TASKS = 200;

/** Where a task is done: on its document, or in the inbox with the task open. */
export function taskLink(task: Task): string {
  const documentId = documentOfTask(task);
  if (documentId) return `/office/documents/${encodeURIComponent(documentId)}`;
  return `/office/tasks?task=${encodeURIComponent(task.id)}`;
}

/** 通知公告: my notices, unread first; opening one marks it read. */
export function NoticesCard() {
  const t = useT();
  const { message } = App.useApp();
  const notices = useRequest((signal) => listNotices({ pageSize: NOTICE_PREVIEW_SIZE }, signal), []);
  const [expanded, setExpanded] = useState<string | null>(null);

  const markRead = async (notice: Notice) => {
    if (notice.readAt) return;
    try {
      const updated = await markNoticeRead(notice.id);
      notices.setData((current) =>
        current
          ? {
              ...current,
              unread: Math.max(0, current.unread - 1),
              items: current.items.map((n) => (n.id === updated.id ? updated : n)),
            }
          : current,
      );
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };
  const toggle = (notice: Notice) => {
    setExpanded((current) => (current === notice.id ? null : notice.id));
    void markRead(notice);
  };

  const items = notices.data?.items ?? [];
  return (
    <Card
      title={
        <span>
          <NotificationOutlined /> {t("office.portal.notices")}
          {notices.data && notices.data.unread > 0 && (
            <Tag color="red" className="ff-todo-count" data-testid="portal-notices-unread">
              {t("office.portal.unread", { count: notices.data.unread })}
            </Tag>
          )}
        </span>
      }
      className="ff-card ff-card-fill"
      data-testid="portal-notices"
    >
      <ProblemAlert error={notices.error} onRetry={notices.reload} />
      {notices.loading && !notices.data && <Spin className="ff-block-spin" />}
      {notices.data && items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.portal.noticesEmpty")} />
      )}
      {items.length > 0 && (
        <ul className="ff-todo-list">
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? "ff-notice" : "ff-notice ff-notice-unread"}>
              <button
                type="button"
                className="ff-notice-head"
                onClick={() => toggle(n)}
                aria-expanded={expanded === n.id}
                data-testid={`portal-notice-${n.id}`}
              >
                <span className="ff-todo-name">
                  <strong>
                    {!n.readAt && <Badge status="processing" className="ff-notice-dot" />}
                    {n.title}
                  </strong>
                  <span className="ff-muted ff-small">
                    {n.publishedBy?.name ?? n.department?.name ?? t("office.portal.system")} ·{" "}
                    {formatDateTime(n.createdAt).slice(5, 16)}
                  </span>
                </span>
              </button>
              {expanded === n.id && (
                <div className="ff-notice-body" data-testid={`portal-notice-body-${n.id}`}>
                  <div className="ff-notice-text">{n.body}</div>
                  {n.link?.startsWith("/") && (
                    <Link to={n.link} data-testid={`portal-notice-open-${n.id}`}>
                      {t("office.portal.openLink")} <RightOutlined />
                    </Link>
                  )}
                </div>
              )}
              {!n.readAt && expanded !== n.id && (
                <Button
                  type="link"
                  size="small"
                  className="ff-notice-read"
                  onClick={() => void markRead(n)}
                  data-testid={`portal-notice-read-${n.id}`}
                >
                  {t("office.portal.markRead")}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function weekdayNames(locale: Locale): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: "narrow", timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

function monthTitle(locale: Locale, year: number, month: number): string {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month, 1)),
  );
}

/** 日历: this month with holidays and make-up working days (调休) and the days my open tasks fall due. */
export function CalendarCard() {
  const t = useT();
  const locale = useLocale();
  const today = shanghaiToday();
  const [shown, setShown] = useState(() => ({
    year: Number(today.slice(0, 4)),
    month: Number(today.slice(5, 7)) - 1,
  }));
  const holidays = useRequest(
    (signal) =>
      getHolidayYear(shown.year, signal).catch((e: unknown) => {
        // A year without a loaded schedule has weekends only.
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }),
    [shown.year],
  );
  const tasks = useRequest((signal) => listTasks({ view: "todo", pageSize: CALENDAR_TASKS }, signal), []);
  const entries = useMemo(
    () => new Map<string, HolidayEntry>((holidays.data?.items ?? []).map((e) => [e.date, e])),
    [holidays.data],
  );
  const due = useMemo(() => {
    const byDay = new Map<string, Task[]>();
    for (const task of tasks.data?.items ?? []) {
      if (!task.dueAt) continue;
      const day = formatDate(task.dueAt);
      byDay.set(day, [...(byDay.get(day) ?? []), task]);
    }
    return byDay;
  }, [tasks.data]);
  const cells = useMemo(() => monthCells(shown.year, shown.month), [shown]);
  const names = useMemo(() => weekdayNames(locale), [locale]);
  const prefix = `${shown.year}-${String(shown.month + 1).padStart(2, "0")}`;
  const dueThisMonth = [...due.entries()]
    .filter(([day]) => day.startsWith(prefix))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, list]) => list);
  const step = (delta: number) =>
    setShown(({ year, month }) => {
      const index = year * 12 + month + delta;
      return { year: Math.floor(index / 12), month: index % 12 };
    });

  return (
    <Card
      title={
        <span>
          <CalendarOutlined /> {t("office.portal.calendar")}
        </span>
      }
      extra={
        <Space size={4}>
          <Button
            size="small"
            icon={<LeftOutlined />}
            onClick={() => step(-1)}
            aria-label={t("office.portal.prevMonth")}
            data-testid="portal-calendar-prev"
          />
          <span className="ff-cal-title" data-testid="portal-calendar-month">
            {monthTitle(locale, shown.year, shown.month)}
          </span>
          <Button
            size="small"
            icon={<RightOutlined />}
            onClick={() => step(1)}
            aria-label={t("office.portal.nextMonth")}
            data-testid="portal-calendar-next"
          />
        </Space>
      }
      className="ff-card"
      data-testid="portal-calendar"
    >
      <ProblemAlert
        error={holidays.error ?? tasks.error}
        onRetry={holidays.error ? holidays.reload : tasks.reload}
      />
      <div className="ff-cal">
        <div className="ff-month-grid ff-cal-grid">
          {WEEKDAY_KEYS.map((key, i) => (
            <div
              key={key}
              className={i >= 5 ? "ff-month-head ff-weekend" : "ff-month-head"}
              aria-hidden="true"
            >
              {names[i]}
            </div>
          ))}
          {cells.map(({ key, day: cell }) => {
            if (!cell) return <div key={key} className="ff-day ff-day-empty ff-cal-day" />;
            const entry = entries.get(cell.date);
            const dueTasks = due.get(cell.date) ?? [];
            const classes = ["ff-day", "ff-cal-day"];
            if (cell.weekend) classes.push("ff-weekend");
            if (entry?.kind === "holiday") classes.push("ff-day-holiday");
            if (entry?.kind === "workday") classes.push("ff-day-workday");
            if (cell.date === today) classes.push("ff-day-today");
            const mark = entry
              ? t(entry.kind === "holiday" ? "calendar.markHoliday" : "calendar.markWorkday")
              : "";
            const label = [
              cell.date,
              entry ? `${entry.name} ${mark}` : "",
              dueTasks.length ? t("office.portal.dueCount", { count: dueTasks.length }) : "",
            ]
              .filter(Boolean)
              .join(" · ");
            return (
              <div
                key={key}
                className={classes.join(" ")}
                title={label}
                role="img"
                aria-label={label}
                data-testid={`portal-calendar-day-${cell.date}`}
                data-due={dueTasks.length || undefined}
              >
                <span className="ff-day-number">{cell.day}</span>
                {entry && <span className="ff-day-mark">{mark}</span>}
                {dueTasks.length > 0 && <span className="ff-cal-due" />}
              </div>
            );
          })}
        </div>
        <div className="ff-cal-side">
          <div className="ff-cal-legend ff-small ff-muted">
            <span>
              <span className="ff-legend-swatch ff-day-holiday">{t("calendar.markHoliday")}</span>
              {t("calendar.kindHoliday")}
            </span>
            <span>
              <span className="ff-legend-swatch ff-day-workday">{t("calendar.markWorkday")}</span>
              {t("calendar.kindWorkday")}
            </span>
            <span>
              <span className="ff-cal-due ff-cal-due-legend" />
              {t("office.portal.dueLegend")}
            </span>
          </div>
          <div className="ff-cal-due-title ff-strong">
            {t("office.portal.dueThisMonth", { count: dueThisMonth.length })}
          </div>
          {tasks.loading && !tasks.data && <Spin size="small" />}
          {dueThisMonth.length === 0 && tasks.data && (
            <div className="ff-muted ff-small">{t("office.portal.noDue")}</div>
          )}
          <ul className="ff-cal-due-list">
            {dueThisMonth.slice(0, 6).map((task) => (
              <li key={task.id}>
                <Link to={taskLink(task)} data-testid={`portal-calendar-task-${task.id}`}>
                  <span className="ff-nowrap ff-muted">{formatDate(task.dueAt).slice(5)}</span> {task.name}
                  <span className="ff-muted ff-small"> · {task.processName}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </Card>
  );
}

type StatusCount = { direction: DocDirection; status: string; total: number };

/** How many documents of the leader's department stand at each status. */
async function documentCounts(signal: AbortSignal): Promise<StatusCount[]> {
  const rows = await documentStats(signal);
  return rows.map((r) => ({ direction: r.direction, status: r.status, total: r.count }));
}

function StatusBars({ counts, direction }: { counts: StatusCount[]; direction: DocDirection }) {
  const t = useT();
  const rows = counts.filter((c) => c.direction === direction && c.total > 0);
  const max = Math.max(1, ...rows.map((r) => r.total));
  const total = rows.reduce((sum, r) => sum + r.total, 0);
  return (
    <div className="ff-stat-block" data-testid={`portal-stats-${direction}`}>
      <div className="ff-stat-label">
        {t(`office.doc.tab.${direction}`)} · {t("office.portal.docTotal", { total })}
      </div>
      {rows.length === 0 && <div className="ff-muted ff-small">{t("office.portal.noDocuments")}</div>}
      {rows.map((r) => (
        <Link
          key={r.status}
          to={`/office/documents?direction=${direction}&status=${r.status}`}
          className="ff-stat-row"
          data-testid={`portal-stat-${direction}-${r.status}`}
        >
          <span className="ff-stat-row-name">{statusName(r.status, t)}</span>
          <span className="ff-stat-row-bar">
            <span style={{ width: `${(r.total / max) * 100}%` }} />
          </span>
          <span className="ff-stat-row-count">{r.total}</span>
        </Link>
      ))}
    </div>
  );
}

/** A leader's view: the supervision board's totals and the department's documents by status. */
export function StatsCard() {
  const t = useT();
  const me = useMe();
  const board = useRequest((signal) => getSupervisionBoard(signal), []);
  const counts = useRequest((signal) => documentCounts(signal), []);
  return (
    <Card
      title={
        <span>
          <BarChartOutlined /> {t("office.portal.stats")}
          {me.department && <span className="ff-muted ff-small"> · {me.department.name}</span>}
        </span>
      }
      className="ff-card"
      data-testid="portal-stats"
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={8}>
          <Link
            to="/office/supervision"
            className="ff-stat-block ff-stat-link"
            data-testid="portal-stats-supervision"
          >
            <div className="ff-stat-label">{t("office.portal.supervision")}</div>
            <ProblemAlert error={board.error} onRetry={board.reload} />
            {board.data && (
              <>
                <div className="ff-stat-lights">
                  {LIGHTS.map((l) => (
                    <span key={l} data-testid={`portal-stats-light-${l}`}>
                      <LightDot light={l} t={t} />
                      <strong className="ff-stat-count">{board.data?.totals[l] ?? 0}</strong>
                      <span className="ff-muted ff-small">{t(`office.sup.light.${l}`)}</span>
                    </span>
                  ))}
                </div>
                <LightBar counts={board.data.totals} t={t} />
              </>
            )}
            {board.loading && !board.data && <Spin size="small" />}
          </Link>
        </Col>
        <Col xs={24} md={12} lg={8}>
          <ProblemAlert error={counts.error} onRetry={counts.reload} />
          {counts.loading && !counts.data && <Spin size="small" />}
          {counts.data && <StatusBars counts={counts.data} direction="outgoing" />}
        </Col>
        <Col xs={24} md={12} lg={8}>
          {counts.data && <StatusBars counts={counts.data} direction="incoming" />}
        </Col>
      </Row>
    </Card>
  );
}
