import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { api, isApiError, setUnauthenticatedHandler } from "./api";
import { type Me, PORTAL_ORDER, type PortalId } from "./types";

export type AuthState =
  | { status: "loading" }
  | { status: "anonymous"; expired: boolean }
  | { status: "error"; error: unknown }
  | { status: "signed-in"; me: Me };

interface AuthValue {
  state: AuthState;
  me: Me | null;
  /** Called with the user a sign-in answered with. */
  signedIn: (me: Me) => void;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: "loading" });

  const refresh = useCallback(async () => {
    try {
      const me = await api.get<Me>("/api/auth/me");
      setState({ status: "signed-in", me });
    } catch (error) {
      if (isApiError(error) && error.status === 401) setState({ status: "anonymous", expired: false });
      else setState({ status: "error", error });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthenticatedHandler(() =>
      setState((current) =>
        current.status === "signed-in" ? { status: "anonymous", expired: true } : current,
      ),
    );
    return () => setUnauthenticatedHandler(null);
  }, []);

  const signedIn = useCallback((me: Me) => setState({ status: "signed-in", me }), []);

  const signOut = useCallback(async () => {
    try {
      await api.post("/api/auth/logout");
    } catch (error) {
      // An already-expired session is signed out all the same.
      if (!(isApiError(error) && error.status === 401)) throw error;
    }
    setState({ status: "anonymous", expired: false });
  }, []);

  const value = useMemo<AuthValue>(
    () => ({ state, me: state.status === "signed-in" ? state.me : null, signedIn, refresh, signOut }),
    [state, signedIn, refresh, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error("useMe needs a signed-in user");
  return me;
}

/** The server lists the home portal of the account's first role first; unknown portals are ignored. */
export function portalsOf(me: Me): PortalId[] {
  return me.portals.filter((p): p is PortalId => (PORTAL_ORDER as readonly string[]).includes(p));
}

export function homePath(me: Me): string {
  const first = portalsOf(me)[0];
  return first ? `/${first}` : "/no-portal";
}
