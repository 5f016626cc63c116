import { Card, Col, Row, Tag } from "antd";
import type { ReactNode } from "react";
import { useMe } from "../auth";
import { shanghaiHour } from "../format";
import { type MessageKey, useT } from "../i18n";
import { PORTALS } from "../portals";
import { roleName } from "../roles";
import type { PortalId } from "../types";

function greetingKey(hour: number): MessageKey {
  if (hour < 5) return "welcome.greeting.night";
  if (hour < 11) return "welcome.greeting.morning";
  if (hour < 13) return "welcome.greeting.noon";
  if (hour < 18) return "welcome.greeting.afternoon";
  return "welcome.greeting.evening";
}

interface Props {
  portal: PortalId;
  /** What this portal will offer, as short lines; stated as planned, never as live data. */
  capabilities: MessageKey[];
  children?: ReactNode;
}

/** A portal's home before its modules arrive: who is signed in, what the portal is for, what comes. */
export function WelcomePage({ portal, capabilities, children }: Props) {
  const me = useMe();
  const t = useT();
  const info = PORTALS[portal];
  return (
    <div className="ff-welcome" data-testid={`${portal}-home`}>
      <section className="ff-hero">
        <div className="ff-hero-kicker">
          <span className="ff-hero-icon">{info.icon}</span>
          {t(info.name)} · {t(info.short)}
        </div>
        <h1 className="ff-hero-title" data-testid="welcome-title">
          {t(greetingKey(shanghaiHour()), { name: me.displayName })}
        </h1>
        <div className="ff-hero-meta">
          <span data-testid="welcome-department">
            {me.department ? me.department.name : t(`userKind.${me.kind}`)}
          </span>
          {me.roles.length > 0 && (
            <span className="ff-hero-roles">
              {me.roles.map((r) => (
                <Tag key={r} variant="outlined" className="ff-hero-tag">
                  {roleName(r, t)}
                </Tag>
              ))}
            </span>
          )}
        </div>
        <p className="ff-hero-purpose">{t(info.purpose)}</p>
      </section>
      <Row gutter={[16, 16]}>
        {children}
        {capabilities.length > 0 && (
          <Col xs={24}>
            <Card title={t("welcome.upcoming.title")} className="ff-card" data-testid="welcome-upcoming">
              <p className="ff-muted">{t("welcome.upcoming.text")}</p>
              <ul className="ff-capabilities">
                {capabilities.map((key) => (
                  <li key={key}>{t(key)}</li>
                ))}
              </ul>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
