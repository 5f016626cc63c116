import { Button, Modal, Progress } from "antd";
import { useEffect, useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { useAuth } from "../../shared/auth";
import { useT } from "../../shared/i18n";

/** A terminal left alone this long signs its user out and goes back to the start page. */
export const IDLE_MS = 60_000;
/** The last seconds of it show a countdown the user can stop by touching the screen. */
export const WARNING_MS = 10_000;

const ACTIVITY = ["pointerdown", "keydown", "touchstart", "wheel", "input"] as const;

/**
 * Signs the kiosk's user out after IDLE_MS without input, with a WARNING_MS countdown first; an
 * anonymous visitor who walked away is taken back to the start page the same way.
 */
export function IdleGuard() {
  const t = useT();
  const { state, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const last = useRef(Date.now());
  const [now, setNow] = useState(() => Date.now());
  const expiring = useRef(false);
  const signedIn = state.status === "signed-in";
  const atStart = location.pathname === "/kiosk" || location.pathname === "/kiosk/";
  const watching = signedIn || !atStart;

  useEffect(() => {
    const touch = () => {
      last.current = Date.now();
      setNow(last.current);
    };
    for (const event of ACTIVITY) window.addEventListener(event, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      for (const event of ACTIVITY) window.removeEventListener(event, touch, { capture: true });
      window.clearInterval(timer);
    };
  }, []);

  // Navigation counts as activity: each page starts a fresh minute.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => {
    last.current = Date.now();
  }, [location.pathname]);

  const idle = now - last.current;
  const remaining = Math.max(0, Math.ceil((IDLE_MS - idle) / 1000));

  useEffect(() => {
    if (!watching || idle < IDLE_MS || expiring.current) return;
    expiring.current = true;
    const done = () => {
      expiring.current = false;
      last.current = Date.now();
      navigate("/kiosk", { replace: true });
    };
    if (signedIn) void signOut().then(done, done);
    else done();
  }, [watching, idle, signedIn, signOut, navigate]);

  const warning = watching && idle >= IDLE_MS - WARNING_MS && idle < IDLE_MS;
  return (
    <Modal
      open={warning}
      closable={false}
      maskClosable={false}
      centered
      title={t("services.kiosk.idleTitle")}
      footer={
        <Button type="primary" size="large" data-testid="kiosk-idle-stay">
          {t("services.kiosk.idleStay")}
        </Button>
      }
      data-testid="kiosk-idle"
    >
      <div className="ff-kiosk-idle" data-testid="kiosk-idle-countdown" data-seconds={remaining}>
        <Progress
          type="circle"
          percent={(remaining / (WARNING_MS / 1000)) * 100}
          format={() => remaining}
          size={120}
        />
        <p>
          {signedIn
            ? t("services.kiosk.idleSignOut", { seconds: remaining })
            : t("services.kiosk.idleHome", { seconds: remaining })}
        </p>
      </div>
    </Modal>
  );
}
