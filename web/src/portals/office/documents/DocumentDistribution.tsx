import { CheckCircleFilled, ClockCircleOutlined, EyeOutlined } from "@ant-design/icons";
import { Empty, Progress, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes } from "react";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { type Translate, useT } from "../../../shared/i18n";
import type { DistributionEntry } from "../../../shared/office";

function Received({ entry, t }: { entry: DistributionEntry; t: Translate }) {
  if (!entry.receivedAt)
    return (
      <Tag icon={<ClockCircleOutlined />} color="orange" data-testid="doc-dist-pending">
        {t("office.doc.dist.notReceived")}
      </Tag>
    );
  return (
    <span>
      <Tag icon={<CheckCircleFilled />} color="success" data-testid="doc-dist-received">
        {t("office.doc.dist.received")}
      </Tag>
      <span className="ff-muted ff-small ff-nowrap">
        {entry.receivedByName ? `${entry.receivedByName} · ` : ""}
        {formatDateTime(entry.receivedAt).slice(5, 16)}
      </span>
    </span>
  );
}

function Read({ entry, t }: { entry: DistributionEntry; t: Translate }) {
  if (entry.readers === 0) return <span className="ff-muted">{t("office.doc.dist.unread")}</span>;
  return (
    <span data-testid="doc-dist-read">
      <Tag icon={<EyeOutlined />} color="blue">
        {t("office.doc.dist.readers", { count: entry.readers })}
      </Tag>
      {entry.firstReadAt && (
        <span className="ff-muted ff-small ff-nowrap">{formatDateTime(entry.firstReadAt).slice(5, 16)}</span>
      )}
    </span>
  );
}

/** 分发情况: for each recipient department, whether it signed for the document and who read it. */
export function DocumentDistribution({ entries }: { entries: DistributionEntry[] }) {
  const t = useT();
  const mobile = useIsMobile();
  if (entries.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.doc.dist.none")} />;
  const received = entries.filter((e) => e.receivedAt).length;
  const read = entries.filter((e) => e.readers > 0).length;
  const role = (e: DistributionEntry) => (
    <Tag color={e.role === "main" ? "geekblue" : "default"}>{t(`office.doc.dist.role.${e.role}`)}</Tag>
  );
  const columns: ColumnsType<DistributionEntry> = [
    {
      title: t("office.doc.dist.department"),
      key: "department",
      width: "38%",
      render: (_, e) => (
        <span>
          {role(e)}
          {e.departmentName}
        </span>
      ),
    },
    { title: t("office.doc.dist.receipt"), key: "received", render: (_, e) => <Received entry={e} t={t} /> },
    { title: t("office.doc.dist.reading"), key: "read", render: (_, e) => <Read entry={e} t={t} /> },
    {
      title: t("office.doc.dist.sentAt"),
      dataIndex: "sentAt",
      width: 150,
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
  ];
  return (
    <div data-testid="doc-distribution">
      <div className="ff-doc-dist-summary">
        <span data-testid="doc-dist-summary">
          {t("office.doc.dist.summary", { received, read, total: entries.length })}
        </span>
        <Progress
          percent={Math.round((received / entries.length) * 100)}
          success={{ percent: Math.round((read / entries.length) * 100) }}
          size="small"
          showInfo={false}
          className="ff-doc-dist-progress"
        />
      </div>
      {mobile ? (
        <ul className="ff-doc-dist-list">
          {entries.map((e) => (
            <li key={e.departmentId} data-testid={`doc-dist-${e.departmentId}`}>
              <div className="ff-strong">
                {role(e)}
                {e.departmentName}
              </div>
              <div className="ff-doc-dist-row">
                <Received entry={e} t={t} />
                <Read entry={e} t={t} />
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <Table<DistributionEntry>
          rowKey="departmentId"
          size="small"
          columns={columns}
          dataSource={entries}
          pagination={false}
          onRow={(e) => ({ "data-testid": `doc-dist-${e.departmentId}` }) as HTMLAttributes<HTMLElement>}
        />
      )}
    </div>
  );
}
