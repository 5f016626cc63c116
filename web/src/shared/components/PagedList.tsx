import { Pagination, Spin, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes, ReactNode } from "react";
import { useT } from "../i18n";

const PAGE_SIZES = [10, 20, 50, 100];

/**
 * A paged list of records: cards on a phone, a table with clickable rows elsewhere. The table is
 * `<testId>-table` with rows `<rowTestId>-<id>`; the cards sit in `<testId>-list`.
 */
export function PagedList<T extends { id: string }>(props: {
  mobile: boolean;
  items: T[];
  total: number;
  loading: boolean;
  page: number;
  pageSize: number;
  /** a new page (and, from the table, a new page size) */
  onPage: (change: { page: number; pageSize?: number }) => void;
  columns: ColumnsType<T>;
  card: (item: T) => ReactNode;
  onOpen: (item: T) => void;
  empty: ReactNode;
  testId: string;
  rowTestId: string;
}) {
  const t = useT();
  const { items, total, loading, page, pageSize, onPage, empty } = props;
  if (props.mobile) {
    return (
      <>
        <Spin spinning={loading}>
          <div className="ff-card-list" data-testid={`${props.testId}-list`}>
            {items.length === 0 && !loading && empty}
            {items.map(props.card)}
          </div>
        </Spin>
        {total > pageSize && (
          <Pagination
            className="ff-pagination"
            size="small"
            current={page}
            pageSize={pageSize}
            total={total}
            showSizeChanger={false}
            onChange={(p) => onPage({ page: p })}
          />
        )}
      </>
    );
  }
  return (
    <Table<T>
      rowKey="id"
      size="middle"
      loading={loading}
      columns={props.columns}
      dataSource={items}
      scroll={{ x: 1000 }}
      rowClassName="ff-clickable-row"
      onRow={(item) =>
        ({
          onClick: () => props.onOpen(item),
          "data-testid": `${props.rowTestId}-${item.id}`,
        }) as HTMLAttributes<HTMLElement>
      }
      data-testid={`${props.testId}-table`}
      locale={{ emptyText: empty }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        pageSizeOptions: PAGE_SIZES,
        showTotal: (all) => t("common.total", { total: all }),
        onChange: (p, size) => onPage({ page: size !== pageSize ? 1 : p, pageSize: size }),
      }}
    />
  );
}
