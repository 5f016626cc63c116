/**
 * What the process modeler edits beyond plain BPMN: Camunda-style attributes on user tasks and the
 * Fourfold handler of service tasks. No moddle extension is loaded for them, so bpmn-moddle keeps them
 * as raw attributes ($attrs) under whatever prefix the document declares; it drops any attribute whose
 * prefix is undeclared when saving, so the namespaces are declared before every save.
 */

export const CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn";
export const FOURFOLD_NS = "https://fourfold.dev/schema/bpmn";

const NAMESPACES = { camunda: CAMUNDA_NS, fourfold: FOURFOLD_NS } as const;
type Namespace = keyof typeof NAMESPACES;

/** A bpmn-moddle element as far as the modeler reads it. */
export interface ModdleElement {
  $type: string;
  $attrs: Record<string, string | undefined>;
  id: string;
  name?: string;
  conditionExpression?: { body?: string };
}

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** A fresh process id: a letter first, as XML ids and process keys need. */
export function newProcessId(): string {
  return `process_${Date.now().toString(36)}`;
}

/** A new diagram: one process with one start event, the extension namespaces declared. */
export function blankDiagram(processId: string, name: string, startName: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="${CAMUNDA_NS}" xmlns:fourfold="${FOURFOLD_NS}" id="Definitions_${processId}" targetNamespace="https://fourfold.dev/processes">
  <bpmn:process id="${processId}" name="${escapeXml(name)}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="${escapeXml(startName)}" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
        <bpmndi:BPMNLabel>
          <dc:Bounds x="172" y="203" width="52" height="14" />
        </bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** The prefix the document binds to a namespace, or the usual one when it binds none. */
export function prefixOf(definitions: ModdleElement, ns: Namespace): string {
  for (const [attr, uri] of Object.entries(definitions.$attrs)) {
    if (attr.startsWith("xmlns:") && uri === NAMESPACES[ns]) return attr.slice("xmlns:".length);
  }
  return ns;
}

/** Declares the extension namespaces the document lacks, so saving keeps the attributes set in them. */
export function declareNamespaces(definitions: ModdleElement): void {
  for (const ns of Object.keys(NAMESPACES) as Namespace[]) {
    const prefix = prefixOf(definitions, ns);
    if (definitions.$attrs[`xmlns:${prefix}`] === undefined)
      definitions.$attrs[`xmlns:${prefix}`] = NAMESPACES[ns];
  }
}

/** The attributes the side form edits, by element type. */
export type FieldKey =
  | "id"
  | "name"
  | "assignee"
  | "candidateGroups"
  | "dueDate"
  | "formKey"
  | "condition"
  | "handler";

const ATTRIBUTES: Partial<Record<FieldKey, [Namespace, string]>> = {
  assignee: ["camunda", "assignee"],
  candidateGroups: ["camunda", "candidateGroups"],
  dueDate: ["camunda", "dueDate"],
  formKey: ["camunda", "formKey"],
  handler: ["fourfold", "handler"],
};

export function fieldsFor(type: string, isRoot: boolean): FieldKey[] {
  if (isRoot) return type === "bpmn:Process" ? ["id", "name"] : ["name"];
  switch (type) {
    case "bpmn:UserTask":
      return ["id", "name", "assignee", "candidateGroups", "dueDate", "formKey"];
    case "bpmn:ServiceTask":
      return ["id", "name", "handler"];
    case "bpmn:SequenceFlow":
      return ["id", "name", "condition"];
    case "label":
      return [];
    default:
      return ["id", "name"];
  }
}

/** The side form's values for an element. */
export function readFields(
  bo: ModdleElement,
  definitions: ModdleElement,
  fields: FieldKey[],
): Partial<Record<FieldKey, string>> {
  const out: Partial<Record<FieldKey, string>> = {};
  for (const field of fields) {
    const attribute = ATTRIBUTES[field];
    if (attribute) out[field] = bo.$attrs[`${prefixOf(definitions, attribute[0])}:${attribute[1]}`] ?? "";
    else if (field === "condition") out[field] = bo.conditionExpression?.body ?? "";
    else if (field === "id") out[field] = bo.id;
    else if (field === "name") out[field] = bo.name ?? "";
  }
  return out;
}

/**
 * The `modeling.updateProperties` argument for the fields that changed; an emptied attribute is
 * removed. `expression` builds a bpmn:FormalExpression.
 */
export function propertyChanges(
  before: Partial<Record<FieldKey, string>>,
  after: Partial<Record<FieldKey, string>>,
  definitions: ModdleElement,
  expression: (body: string) => unknown,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(after) as [FieldKey, string | undefined][]) {
    const value = (raw ?? "").trim();
    if (value === (before[field] ?? "").trim()) continue;
    const attribute = ATTRIBUTES[field];
    if (attribute) changes[`${prefixOf(definitions, attribute[0])}:${attribute[1]}`] = value || undefined;
    else if (field === "condition") changes.conditionExpression = value ? expression(value) : undefined;
    else if (field === "id") {
      if (value) changes.id = value;
    } else if (field === "name") changes.name = value || undefined;
  }
  return changes;
}

/** XML ids (and so process keys): a letter or underscore, then letters, digits, "_", "-" or ".". */
export const ID_PATTERN = /^[A-Za-z_][\w.-]*$/;
