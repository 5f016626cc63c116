import { SaveOutlined, UndoOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
} from "antd";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { api, isApiError } from "../../shared/api";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { errorMessage } from "../../shared/errors";
import { shanghaiToday } from "../../shared/format";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Locale, useLocale, useT } from "../../shared/i18n";
import type { HolidayEntry, HolidayKind, HolidayYear } from "../../shared/types";
import {
  dateRanges,
  groupEntries,
  MONTHS,
  monthCells,
  sameSchedule,
  sortEntries,
  WEEKDAY_KEYS,
} from "./calendarModel";

function weekdayNames(locale: Locale): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: "narrow", timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

function monthName(locale: Locale, month: number): string {
  return new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, month, 1)),
  );
}

function MonthGrid({
  year,
  month,
  entries,
  today,
  onPick,
}: {
  year: number;
  month: number;
  entries: Map<string, HolidayEntry>;
  today: string;
  onPick: (date: string) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const cells = useMemo(() => monthCells(year, month), [year, month]);
  const names = useMemo(() => weekdayNames(locale), [locale]);
  return (
    <div className="ff-month" data-testid={`calendar-month-${month + 1}`}>
      <div className="ff-month-title">{monthName(locale, month)}</div>
      <div className="ff-month-grid">
        {WEEKDAY_KEYS.map((key, i) => (
          <div key={key} className={i >= 5 ? "ff-month-head ff-weekend" : "ff-month-head"} aria-hidden="true">
            {names[i]}
          </div>
        ))}
        {cells.map(({ key, day: cell }) => {
          if (!cell) return <div key={key} className="ff-day ff-day-empty" />;
          const entry = entries.get(cell.date);
          const classes = ["ff-day"];
          if (cell.weekend) classes.push("ff-weekend");
          if (entry?.kind === "holiday") classes.push("ff-day-holiday");
          if (entry?.kind === "workday") classes.push("ff-day-workday");
          if (cell.date === today) classes.push("ff-day-today");
          const mark = entry
            ? entry.kind === "holiday"
              ? t("calendar.markHoliday")
              : t("calendar.markWorkday")
            : "";
          return (
            <button
              type="button"
              key={key}
              className={classes.join(" ")}
              onClick={() => onPick(cell.date)}
              title={entry ? `${cell.date} ${entry.name}` : cell.date}
              aria-label={entry ? `${cell.date} ${entry.name} ${mark}` : cell.date}
              data-testid={`calendar-day-${cell.date}`}
            >
              <span className="ff-day-number">{cell.day}</span>
              {entry && <span className="ff-day-mark">{mark}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

function Ranges({ dates, separator }: { dates: string[]; separator: string }) {
  const ranges = dateRanges(dates);
  if (ranges.length === 0) return <span className="ff-muted">—</span>;
  return (
    <span>
      {ranges.map((r, i) => (
        <span key={r}>
          {i > 0 && separator}
          <span className="ff-range">{r}</span>
        </span>
      ))}
    </span>
  );
}

type EditKind = HolidayKind | "none";

function DayEditor({
  date,
  entry,
  names,
  onClose,
  onApply,
}: {
  date: string | null;
  entry: HolidayEntry | undefined;
  names: string[];
  onClose: () => void;
  onApply: (date: string, next: HolidayEntry | null) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ kind: EditKind; name?: string }>();
  const kind = Form.useWatch("kind", form);

  useEffect(() => {
    if (!date) return;
    form.setFieldsValue({ kind: entry?.kind ?? "none", name: entry?.name ?? "" });
  }, [date, entry, form]);

  return (
    <Modal
      open={date !== null}
      title={t("calendar.editTitle", { date: date ?? "" })}
      okText={t("common.ok")}
      cancelText={t("common.cancel")}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ "data-testid": "calendar-edit-apply" } as Record<string, string>}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => {
          if (!date) return;
          onApply(
            date,
            values.kind === "none" ? null : { date, kind: values.kind, name: (values.name ?? "").trim() },
          );
        }}
      >
        <Form.Item name="kind" label={t("calendar.dayKind")}>
          <Radio.Group data-testid="calendar-edit-kind" optionType="button" buttonStyle="solid">
            <Radio.Button value="holiday">
              <span data-testid="calendar-edit-holiday">{t("calendar.kindHoliday")}</span>
            </Radio.Button>
            <Radio.Button value="workday">
              <span data-testid="calendar-edit-workday">{t("calendar.kindWorkday")}</span>
            </Radio.Button>
            <Radio.Button value="none">
              <span data-testid="calendar-edit-none">{t("calendar.kindNone")}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        {kind !== "none" && (
          <Form.Item
            name="name"
            label={t("calendar.entryName")}
            rules={[{ required: true, whitespace: true, message: t("field.required") }]}
            extra={kind === "workday" ? t("calendar.workdayNameHint") : undefined}
          >
            <AutoComplete
              options={names.map((n) => ({ value: n }))}
              filterOption={(input, option) => String(option?.value ?? "").includes(input)}
            >
              <Input
                maxLength={50}
                data-testid="calendar-edit-name"
                placeholder={t("calendar.entryNamePlaceholder")}
              />
            </AutoComplete>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function CalendarPage() {
  const t = useT();
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const today = shanghaiToday();
  const thisYear = Number(today.slice(0, 4));
  const paramYear = Number(params.get("year"));
  const year = Number.isInteger(paramYear) && paramYear >= 2000 && paramYear <= 2100 ? paramYear : thisYear;

  const schedule = useRequest(
    async (signal) => {
      try {
        return await api.get<HolidayYear>("/api/calendar/holidays", { year }, signal);
      } catch (error) {
        // A year nobody has entered yet starts empty and provisional.
        if (isApiError(error) && error.status === 404) {
          return { year, status: "provisional", items: [] } satisfies HolidayYear;
        }
        throw error;
      }
    },
    [year],
  );

  const [draft, setDraft] = useState<HolidayYear | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);

  useEffect(() => {
    setDraft(schedule.data ? { ...schedule.data, items: sortEntries(schedule.data.items) } : null);
    setSaveError(null);
  }, [schedule.data]);

  const dirty = draft !== null && schedule.data !== undefined && !sameSchedule(draft, schedule.data);
  const entries = useMemo(() => new Map((draft?.items ?? []).map((e) => [e.date, e])), [draft]);
  const groups = useMemo(() => groupEntries(draft?.items ?? []), [draft]);
  const holidayCount = draft?.items.filter((e) => e.kind === "holiday").length ?? 0;
  const workdayCount = draft?.items.filter((e) => e.kind === "workday").length ?? 0;
  const names = useMemo(() => [...new Set((draft?.items ?? []).map((e) => e.name))], [draft]);

  const changeYear = (next: number) => {
    const go = () => setParams({ year: String(next) }, { replace: true });
    if (!dirty) return go();
    modal.confirm({
      title: t("calendar.discardTitle"),
      content: t("calendar.discardText"),
      okText: t("calendar.discard"),
      cancelText: t("common.cancel"),
      onOk: go,
    });
  };

  const applyDay = (date: string, next: HolidayEntry | null) => {
    setDraft((current) => {
      if (!current) return current;
      const rest = current.items.filter((e) => e.date !== date);
      return { ...current, items: sortEntries(next ? [...rest, next] : rest) };
    });
    setPicked(null);
  };

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await api.put<HolidayYear>(`/api/admin/calendar/${year}`, {
        status: draft.status,
        ...(typeof draft.source === "string" && draft.source ? { source: draft.source } : {}),
        items: sortEntries(draft.items),
      });
      schedule.setData(saved);
      message.success(t("calendar.saved", { year }));
    } catch (error) {
      setSaveError(error);
      message.error(errorMessage(error, t));
    } finally {
      setSaving(false);
    }
  };

  const years = Array.from({ length: 5 }, (_, i) => thisYear - 2 + i);
  if (!years.includes(year)) years.push(year);
  years.sort((a, b) => a - b);

  return (
    <div data-testid="admin-calendar">
      <PageHeader
        title={t("nav.admin.calendar")}
        subtitle={t("calendar.subtitle")}
        extra={
          <Space wrap>
            <Select
              value={year}
              onChange={changeYear}
              options={years.map((y) => ({ value: y, label: t("calendar.yearLabel", { year: y }) }))}
              style={{ width: 120 }}
              data-testid="calendar-year"
            />
            <Button
              icon={<UndoOutlined />}
              disabled={!dirty || saving}
              onClick={() =>
                schedule.data && setDraft({ ...schedule.data, items: sortEntries(schedule.data.items) })
              }
              data-testid="calendar-revert"
            >
              {t("calendar.revert")}
            </Button>
            <Button
              type="primary"
              icon={<SaveOutlined />}
              disabled={!dirty}
              loading={saving}
              onClick={() => void save()}
              data-testid="calendar-save"
            >
              {t("common.save")}
            </Button>
          </Space>
        }
      />
      <ProblemAlert error={schedule.error} onRetry={schedule.reload} style={{ marginBottom: 16 }} />
      <ProblemAlert error={saveError} style={{ marginBottom: 16 }} testId="calendar-save-error" />
      {dirty && <Alert type="info" showIcon title={t("calendar.unsaved")} style={{ marginBottom: 16 }} />}
      {!draft ? (
        <Card className="ff-card">
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={17}>
            <Card
              className="ff-card"
              title={t("calendar.yearTitle", { year })}
              extra={
                <span className="ff-legend">
                  <span className="ff-legend-item">
                    <span className="ff-legend-swatch ff-day-holiday">{t("calendar.markHoliday")}</span>
                    {t("calendar.kindHoliday")}
                  </span>
                  <span className="ff-legend-item">
                    <span className="ff-legend-swatch ff-day-workday">{t("calendar.markWorkday")}</span>
                    {t("calendar.kindWorkday")}
                  </span>
                </span>
              }
            >
              <p className="ff-muted ff-small">{t("calendar.editHint")}</p>
              <div className="ff-months">
                {MONTHS.map((m) => (
                  <MonthGrid
                    key={m}
                    year={year}
                    month={m}
                    entries={entries}
                    today={today}
                    onPick={setPicked}
                  />
                ))}
              </div>
            </Card>
          </Col>
          <Col xs={24} xl={7}>
            <Card className="ff-card" title={t("calendar.summary")}>
              <div className="ff-calendar-status">
                <span>{t("calendar.status")}</span>
                <Select
                  value={draft.status}
                  onChange={(status) => setDraft({ ...draft, status })}
                  options={[
                    { value: "official", label: t("calendar.statusOfficial") },
                    { value: "provisional", label: t("calendar.statusProvisional") },
                  ]}
                  style={{ width: 150 }}
                  data-testid="calendar-status"
                />
              </div>
              <p className="ff-muted ff-small">
                {draft.status === "official"
                  ? t("calendar.statusOfficialHint")
                  : t("calendar.statusProvisionalHint")}
              </p>
              {draft.source && (
                <p className="ff-muted ff-small ff-break" data-testid="calendar-source">
                  {t("calendar.source")}: {draft.source}
                </p>
              )}
              <Space size={8} wrap style={{ marginBottom: 12 }}>
                <Tag color="red">{t("calendar.holidayCount", { count: holidayCount })}</Tag>
                <Tag color="blue">{t("calendar.workdayCount", { count: workdayCount })}</Tag>
              </Space>
              {groups.length === 0 ? (
                <Empty description={t("calendar.empty")} />
              ) : (
                <Table
                  size="small"
                  rowKey="name"
                  pagination={false}
                  dataSource={groups}
                  data-testid="calendar-groups"
                  columns={[
                    { title: t("calendar.entryName"), dataIndex: "name", width: 90 },
                    {
                      title: t("calendar.kindHoliday"),
                      key: "holidays",
                      render: (_, g) => <Ranges dates={g.holidays} separator={t("common.listSeparator")} />,
                    },
                    {
                      title: t("calendar.kindWorkday"),
                      key: "workdays",
                      render: (_, g) => <Ranges dates={g.workdays} separator={t("common.listSeparator")} />,
                    },
                  ]}
                />
              )}
            </Card>
          </Col>
        </Row>
      )}
      <DayEditor
        date={picked}
        entry={picked ? entries.get(picked) : undefined}
        names={names}
        onClose={() => setPicked(null)}
        onApply={applyDay}
      />
    </div>
  );
}
