import type { ReactNode } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { useAuth } from "./auth";
import { AppShell } from "./layout/AppShell";
import { ForbiddenPage, FullPageSpin, StartupErrorPage } from "./pages/StatusPages";
import type { PortalId } from "./types";

export interface LoginRedirectState {
  from?: string;
  expired?: boolean;
}

/** Renders its routes for a signed-in user; sends anyone else to /login, remembering where they were. */
export function RequireAuth() {
  const { state, refresh } = useAuth();
  const location = useLocation();
  if (state.status === "loading") return <FullPageSpin />;
  if (state.status === "error")
    return <StartupErrorPage error={state.error} onRetry={() => void refresh()} />;
  if (state.status === "anonymous") {
    const redirect: LoginRedirectState = {
      from: location.pathname + location.search,
      expired: state.expired,
    };
    return <Navigate to="/login" replace state={redirect} />;
  }
  return <Outlet />;
}

/** Admits users whose `me.portals` includes the portal. */
export function RequirePortal({ portal, children }: { portal: PortalId; children?: ReactNode }) {
  const { me } = useAuth();
  if (!me?.portals.includes(portal)) return <ForbiddenPage />;
  return children ?? <Outlet />;
}

/** Pages that live inside the signed-in frame when there is a session, and stand alone otherwise. */
export function ShellIfSignedIn({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  if (state.status === "loading") return <FullPageSpin />;
  if (state.status === "signed-in") return <AppShell>{children}</AppShell>;
  return <div className="ff-fullpage">{children}</div>;
}
