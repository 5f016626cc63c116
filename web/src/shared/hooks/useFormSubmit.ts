import type { FormInstance } from "antd";
import { useEffect, useState } from "react";
import { ApiError } from "../api";
import { applyFieldErrors } from "../errors";
import { useT } from "../i18n";

export type UnmatchedErrors = { field: string; message: string }[];

/**
 * Runs a modal form's request: field errors from the problem document go on the fields, the rest
 * (and errors without fields) into an alert. The form and the errors reset when the modal opens.
 */
export function useFormSubmit<V>(form: FormInstance<V>, open: boolean) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<UnmatchedErrors>([]);
  useEffect(() => {
    if (!open) return;
    setError(null);
    setUnmatched([]);
    form.resetFields();
  }, [open, form]);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      const rest = applyFieldErrors(form, e, t);
      if (!(e instanceof ApiError && e.errors.length > 0 && rest.length === 0)) {
        setError(e);
        setUnmatched(rest);
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, unmatched, run };
}
