// bpmn-moddle ships types only under its "./types" export; this is the part the compiler uses.
declare module "bpmn-moddle" {
  export class BpmnModdle {
    fromXML(xml: string): Promise<{ rootElement: unknown; warnings: { message: string }[] }>;
    toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}

declare module "bpmn-auto-layout" {
  /** Adds diagram interchange (shapes and edges) to a document that has none. */
  export function layoutProcess(xml: string): Promise<string>;
}
