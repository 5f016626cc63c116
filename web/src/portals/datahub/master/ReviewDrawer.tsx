import { CheckOutlined, CloseOutlined, UndoOutlined } from "@ant-design/icons";
import { App, Button, Descriptions, Drawer, Space, Spin, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes } from "react";
import { Link } from "react-router";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import {
  type Decision,
  decideReview,
  type FieldValue,
  getReview,
  type ReviewDetail,
  undoReview,
} from "../../../shared/masterdata";
import { BaseTag, fieldTitle, MasterProblem, masterErrorMessage, percent, ValueText } from "./masterParts";

interface CompareRow {
  field: string;
  title: string;
  mine: FieldValue;
  theirs: FieldValue;
  invalid: string | null;
  similarity: number | null;
  differs: boolean;
}

const present = (v: FieldValue | undefined) => v !== null && v !== undefined && v !== "";

/** The fields either side holds, with whether they differ (both present, not the same). */
function compareRows(review: ReviewDetail, t: Translate): CompareRow[] {
  const mine = review.record?.values ?? {};
  const theirs = review.candidate?.fields ?? {};
  return review.fields
    .filter((f) => present(mine[f.field]) || present(theirs[f.field]))
    .map((f) => {
      const a = mine[f.field] ?? null;
      const b = theirs[f.field] ?? null;
      return {
        field: f.field,
        title: fieldTitle(review.base, f.field, t, f.title),
        mine: a,
        theirs: b,
        invalid: review.record?.invalid[f.field] ?? null,
        similarity: f.similarity,
        differs: present(a) && present(b) && String(a) !== String(b),
      };
    });
}

export function Similarity({ value }: { value: number | null }) {
  if (value === null) return <span className="ff-muted">—</span>;
  const color = value >= 0.95 ? "success" : value >= 0.7 ? "warning" : "error";
  return <Tag color={color}>{percent(value)}</Tag>;
}

/** Side by side: this record | the candidate golden record | similarity, differences marked. */
function Comparison({ review, t, mobile }: { review: ReviewDetail; t: Translate; mobile: boolean }) {
  const rows = compareRows(review, t);
  if (mobile)
    return (
      <div className="ff-master-compare-cards" data-testid="master-review-compare">
        {rows.map((r) => (
          <div
            key={r.field}
            className={r.differs ? "ff-master-compare-card ff-master-differs" : "ff-master-compare-card"}
            data-testid={`master-review-field-${r.field}`}
            data-differs={r.differs}
          >
            <div className="ff-master-compare-card-head">
              <strong>{r.title}</strong>
              <Similarity value={r.similarity} />
            </div>
            <div className="ff-small">
              <span className="ff-muted">{t("master.review.thisRecord")}: </span>
              <ValueText value={r.mine} t={t} />
            </div>
            <div className="ff-small">
              <span className="ff-muted">{t("master.review.candidate")}: </span>
              <ValueText value={r.theirs} t={t} />
            </div>
          </div>
        ))}
      </div>
    );
  const columns: ColumnsType<CompareRow> = [
    {
      title: t("master.review.field"),
      dataIndex: "title",
      width: 130,
      render: (v: string) => <strong>{v}</strong>,
    },
    {
      title: t("master.review.thisRecord"),
      key: "mine",
      render: (_, r) => (
        <span>
          <ValueText value={r.mine} t={t} />
          {r.invalid && (
            <Tag color="orange" className="ff-master-inline-tag">
              {t("master.review.invalid")}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: t("master.review.candidate"),
      key: "theirs",
      render: (_, r) => <ValueText value={r.theirs} t={t} />,
    },
    {
      title: t("master.review.similarity"),
      dataIndex: "similarity",
      width: 100,
      render: (v: number | null) => <Similarity value={v} />,
    },
  ];
  return (
    <Table<CompareRow>
      rowKey="field"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={false}
      rowClassName={(r) => (r.differs ? "ff-master-differs" : "")}
      onRow={(r) =>
        ({
          "data-testid": `master-review-field-${r.field}`,
          "data-differs": String(r.differs),
        }) as HTMLAttributes<HTMLElement>
      }
      data-testid="master-review-compare"
    />
  );
}

/** 核对: one pair compared field by field, decided (match or distinct) or its decision undone. */
export function ReviewDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const review = useRequest((signal) => (id ? getReview(id, signal) : Promise.resolve(null)), [id]);
  const r = review.data && review.data.id === id ? review.data : null;
  const same = r?.base === "legalPerson" ? t("master.review.sameEnterprise") : t("master.review.samePerson");

  const act = (
    title: string,
    content: string,
    okText: string,
    action: () => Promise<unknown>,
    done: string,
  ) =>
    modal.confirm({
      title,
      content,
      okText,
      cancelText: t("common.cancel"),
      okButtonProps: { "data-testid": "master-review-confirm" } as Record<string, string>,
      onOk: async () => {
        try {
          await action();
          message.success(done);
          review.reload();
          onChanged();
        } catch (e) {
          message.error(masterErrorMessage(e, t));
          review.reload();
          onChanged();
        }
      },
    });
  const decide = (decision: Decision) =>
    r &&
    act(
      decision === "match" ? t("master.review.confirmMatch", { same }) : t("master.review.confirmDistinct"),
      decision === "match" ? t("master.review.confirmMatchText") : t("master.review.confirmDistinctText"),
      decision === "match" ? same : t("master.review.notSame"),
      () => decideReview(r.id, decision),
      t("master.review.decided"),
    );
  const undo = () =>
    r &&
    act(
      t("master.review.confirmUndo"),
      t("master.review.confirmUndoText"),
      t("master.review.undo"),
      () => undoReview(r.id),
      t("master.review.undone"),
    );

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={mobile ? "100%" : 820}
      destroyOnHidden
      title={t("master.review.title")}
      data-testid="master-review-drawer"
      footer={
        r && (r.status === "pending" || r.status === "match" || r.status === "distinct") ? (
          <Space wrap>
            {r.status === "pending" ? (
              <>
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => decide("match")}
                  data-testid="master-review-match"
                >
                  {same}
                </Button>
                <Button
                  danger
                  icon={<CloseOutlined />}
                  onClick={() => decide("distinct")}
                  data-testid="master-review-distinct"
                >
                  {t("master.review.notSame")}
                </Button>
              </>
            ) : (
              <Button icon={<UndoOutlined />} onClick={undo} data-testid="master-review-undo">
                {t("master.review.undo")}
              </Button>
            )}
          </Space>
        ) : undefined
      }
    >
      <MasterProblem error={review.error} onRetry={review.reload} />
      {!r && review.loading && <Spin className="ff-block-spin" />}
      {r && (
        <div data-testid={`master-review-detail-${r.id}`} data-status={r.status}>
          <Descriptions size="small" column={mobile ? 1 : 2} className="ff-master-review-facts">
            <Descriptions.Item label={t("master.review.source")}>
              {r.sourceName} · <span className="ff-mono">{r.recordId}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("master.source.base")}>
              <BaseTag base={r.base} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t("master.review.score")}>
              <strong data-testid="master-review-score">{percent(r.score)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t("master.review.candidateSources")}>
              {r.candidate ? (
                <Link
                  to={`/datahub/master/records?base=${r.base}&record=${encodeURIComponent(r.candidate.id)}`}
                  data-testid="master-review-candidate-link"
                >
                  {t("master.review.sourcesCount", { count: r.candidate.sources })}
                </Link>
              ) : (
                "—"
              )}
            </Descriptions.Item>
            {r.decidedAt && (
              <Descriptions.Item label={t("master.review.decision")}>
                <ReviewStatusTag status={r.status} t={t} /> {r.decidedByName ?? ""} ·{" "}
                {formatDateTime(r.decidedAt)}
              </Descriptions.Item>
            )}
            {r.status === "void" && (
              <Descriptions.Item label={t("master.review.decision")}>
                <ReviewStatusTag status={r.status} t={t} />
              </Descriptions.Item>
            )}
          </Descriptions>
          <p className="ff-muted ff-small">{t("master.review.compareHint")}</p>
          <Comparison review={r} t={t} mobile={mobile} />
        </div>
      )}
    </Drawer>
  );
}

const STATUS_COLORS = {
  pending: "processing",
  match: "success",
  distinct: "default",
  void: "warning",
} as const;

export function ReviewStatusTag({ status, t }: { status: ReviewDetail["status"]; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status] ?? "default"} data-status={status}>
      {t(`master.review.status.${status}`)}
    </Tag>
  );
}
