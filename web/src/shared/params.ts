import { useCallback, useEffect, useState } from "react";
import { useSearchParams } from "react-router";

/** A page number or size from the URL; anything else gives the fallback. */
export function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Sets or (for null and "") removes URL parameters, keeping the others. */
export function useUpdateParams(): (changes: Record<string, string | number | null>, push?: boolean) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (changes, push = false) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, String(value));
      }
      setParams(next, { replace: !push });
    },
    [setParams],
  );
}

/**
 * A search box bound to a URL parameter: the parameter follows what is typed once the user pauses,
 * and the list goes back to its first page.
 */
export function useSearchDraft(name = "q", delay = 400): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? "";
  const [draft, setDraft] = useState(value);
  useEffect(() => {
    const next = draft.trim();
    if (next === value) return;
    const timer = window.setTimeout(() => {
      const updated = new URLSearchParams(window.location.search);
      if (next) updated.set(name, next);
      else updated.delete(name);
      updated.delete("page");
      setParams(updated, { replace: true });
    }, delay);
    return () => window.clearTimeout(timer);
  }, [draft, value, name, delay, setParams]);
  return [draft, setDraft];
}
