import Modeler from "bpmn-js/lib/Modeler";
import { useEffect, useRef, useState } from "react";
import "../../shared/bpmn/styles";
import type { BpmnElement, Canvas, EventBus } from "../../shared/bpmn/services";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { useT } from "../../shared/i18n";

export type { Modeler };

interface Props {
  /** Imported whenever it changes. */
  xml: string;
  onReady: (modeler: Modeler | null) => void;
  /** The element selected on the canvas (a label stands for its element), or null. */
  onSelect: (element: BpmnElement | null) => void;
  /** An edit, undo or redo ("edit"), or a diagram imported ("import"). */
  onChange: (kind: "edit" | "import") => void;
}

/** The bpmn-js modeling canvas: palette, context pad, drag and drop, undo. */
export function ProcessModeler({ xml, onReady, onSelect, onChange }: Props) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const [modeler, setModeler] = useState<Modeler | null>(null);
  const [error, setError] = useState<unknown>(null);
  const callbacks = useRef({ onReady, onSelect, onChange });
  callbacks.current = { onReady, onSelect, onChange };

  useEffect(() => {
    if (!host.current) return;
    const created = new Modeler({ container: host.current });
    const events = created.get<EventBus>("eventBus");
    events.on<{ newSelection: BpmnElement[] }>("selection.changed", ({ newSelection }) => {
      const first = newSelection.length === 1 ? newSelection[0] : undefined;
      const target =
        first?.type === "label" ? (first as BpmnElement & { labelTarget: BpmnElement }).labelTarget : first;
      callbacks.current.onSelect(target ?? null);
    });
    events.on("commandStack.changed", () => callbacks.current.onChange("edit"));
    setModeler(created);
    callbacks.current.onReady(created);
    return () => {
      callbacks.current.onReady(null);
      created.destroy();
    };
  }, []);

  useEffect(() => {
    if (!modeler) return;
    let cancelled = false;
    setError(null);
    modeler.importXML(xml).then(
      () => {
        if (cancelled) return;
        const canvas = modeler.get<Canvas>("canvas");
        canvas.resized();
        canvas.zoom("fit-viewport", "auto");
        callbacks.current.onSelect(null);
        // Importing clears the command stack, which reported an edit: the import is the last word.
        callbacks.current.onChange("import");
      },
      (reason: unknown) => !cancelled && setError(reason),
    );
    return () => {
      cancelled = true;
    };
  }, [modeler, xml]);

  return (
    <>
      <ProblemAlert error={error} style={{ marginBottom: 8 }} testId="modeler-import-error" />
      <div
        ref={host}
        className="ff-bpmn ff-modeler-canvas"
        data-testid="modeler-canvas"
        role="application"
        aria-label={t("modeler.canvas")}
      />
    </>
  );
}
