import { CompassOutlined, InfoCircleOutlined, LockOutlined } from "@ant-design/icons";
import { Button, Result, Spin } from "antd";
import { Link } from "react-router";
import { homePath, useAuth } from "../auth";
import { errorDetail, errorMessage } from "../errors";
import { useT } from "../i18n";

export function FullPageSpin() {
  const t = useT();
  return (
    <div className="ff-fullpage" data-testid="page-loading">
      <Spin size="large" description={t("common.loading")} />
    </div>
  );
}

/** Inside the shell, while a page's code loads. */
export function PageSpin() {
  return (
    <div className="ff-page-spin" data-testid="page-loading">
      <Spin />
    </div>
  );
}

function HomeButton() {
  const t = useT();
  const { me } = useAuth();
  return (
    <Link to={me ? homePath(me) : "/login"}>
      <Button type="primary" data-testid="go-home">
        {me ? t("common.backHome") : t("login.submit")}
      </Button>
    </Link>
  );
}

export function NotFoundPage() {
  const t = useT();
  return (
    <Result
      icon={<CompassOutlined className="ff-result-icon" />}
      title={t("notFound.title")}
      subTitle={t("notFound.text")}
      extra={<HomeButton />}
      data-testid="not-found"
      className="ff-result"
    />
  );
}

export function ForbiddenPage() {
  const t = useT();
  return (
    <Result
      icon={<LockOutlined className="ff-result-icon" />}
      title={t("forbidden.title")}
      subTitle={t("forbidden.text")}
      extra={<HomeButton />}
      data-testid="forbidden"
      className="ff-result"
    />
  );
}

export function NoPortalPage() {
  const t = useT();
  const { signOut } = useAuth();
  return (
    <Result
      icon={<InfoCircleOutlined className="ff-result-icon" />}
      title={t("noPortal.title")}
      subTitle={t("noPortal.text")}
      extra={
        <Button onClick={() => void signOut()} data-testid="logout">
          {t("header.logout")}
        </Button>
      }
      data-testid="no-portal"
      className="ff-result"
    />
  );
}

/** The server could not be reached while checking the session. */
export function StartupErrorPage({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useT();
  return (
    <div className="ff-fullpage">
      <Result
        status="warning"
        title={errorMessage(error, t)}
        subTitle={errorDetail(error, t) ?? t("startup.text")}
        extra={
          <Button type="primary" onClick={onRetry} data-testid="retry">
            {t("common.retry")}
          </Button>
        }
      />
    </div>
  );
}
