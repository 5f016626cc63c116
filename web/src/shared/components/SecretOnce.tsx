import { Alert, Descriptions, Typography } from "antd";
import type { ReactNode } from "react";

export interface SecretRow {
  label: ReactNode;
  value: string;
  /** Shown as copyable code (ids, secrets); false shows plain text (a name). Default true. */
  copyable?: boolean;
  testId?: string;
}

/**
 * Credentials the platform shows this once (it keeps only a hash): a warning that they will not be shown
 * again, then each value with a copy button.
 */
export function SecretOnce({ warning, rows }: { warning: ReactNode; rows: SecretRow[] }) {
  return (
    <>
      <Alert type="warning" showIcon title={warning} style={{ marginBottom: 16 }} />
      <Descriptions column={1} size="small" bordered>
        {rows.map((row) => (
          <Descriptions.Item key={row.testId ?? row.value} label={row.label}>
            {row.copyable === false ? (
              <span data-testid={row.testId}>{row.value}</span>
            ) : (
              <Typography.Text code copyable className="ff-break" data-testid={row.testId}>
                {row.value}
              </Typography.Text>
            )}
          </Descriptions.Item>
        ))}
      </Descriptions>
    </>
  );
}
