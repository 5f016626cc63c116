import { Typography } from "antd";
import type { ReactNode } from "react";

export interface CallStep {
  text: ReactNode;
  /** A command to copy, shown as code. */
  code: string;
}

/** How a registered system or device calls the platform: numbered steps, each with a command to copy. */
export function HowToCall({ steps, note, testId }: { steps: CallStep[]; note?: ReactNode; testId?: string }) {
  return (
    <div className="ff-howto" data-testid={testId}>
      {steps.map((step) => (
        <div key={step.code}>
          <p>{step.text}</p>
          <Typography.Paragraph code copyable={{ text: step.code }} className="ff-howto-code">
            {step.code}
          </Typography.Paragraph>
        </div>
      ))}
      {note && <p className="ff-muted ff-small">{note}</p>}
    </div>
  );
}
