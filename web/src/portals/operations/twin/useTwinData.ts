import { useEffect, useMemo, useRef, useState } from "react";
import { isApiError } from "../../../shared/api";
import { listTwinEntities, TWIN_TYPES, type TwinEntity } from "../../../shared/twin";
import { buildModel, type TwinModel } from "./twinModel";

/** Sensor values change live (telemetry), so the page reads the twin again this often. */
export const REFRESH_MS = 10_000;

export interface TwinData {
  entities: TwinEntity[] | null;
  model: TwinModel | null;
  /** The first load failed: nothing to show. */
  error: unknown;
  /** A later refresh failed: the data shown is from `updatedAt`. */
  refreshError: unknown;
  updatedAt: Date | null;
  /** Counts refreshes, so views of one entity can read it again with the map. */
  generation: number;
}

/** Every entity of the twin, read on mount and every REFRESH_MS while the page is visible. */
export function useTwinData(): TwinData {
  const [entities, setEntities] = useState<TwinEntity[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshError, setRefreshError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [generation, setGeneration] = useState(0);
  const loaded = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    let busy = false;
    const load = async () => {
      if (busy || (loaded.current && document.visibilityState === "hidden")) return;
      busy = true;
      try {
        const next = await listTwinEntities(TWIN_TYPES, controller.signal);
        loaded.current = true;
        setEntities(next);
        setUpdatedAt(new Date());
        setError(null);
        setRefreshError(null);
        setGeneration((g) => g + 1);
      } catch (reason) {
        if (controller.signal.aborted) return;
        if (loaded.current) setRefreshError(reason);
        else setError(reason);
        // Without the right role, asking again every few seconds changes nothing.
        if (!loaded.current && isApiError(reason) && [401, 403].includes(reason.status))
          window.clearInterval(timer);
      } finally {
        busy = false;
      }
    };
    void load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, []);

  const model = useMemo(() => (entities ? buildModel(entities) : null), [entities]);
  return { entities, model, error, refreshError, updatedAt, generation };
}
