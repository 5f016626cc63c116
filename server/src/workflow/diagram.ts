import { layoutProcess } from "bpmn-auto-layout";
import { BpmnModdle } from "bpmn-moddle";
import type { FastifyBaseLogger } from "fastify";

interface FlowContainer {
  $type: string;
  flowElements?: FlowElement[];
}
interface FlowElement extends FlowContainer {
  sourceRef?: { outgoing?: FlowElement[] };
  targetRef?: { incoming?: FlowElement[] };
}

const moddle = new BpmnModdle();

/**
 * A model written by hand (or by code) has no diagram; lay one out so the inbox and the modeler can
 * draw it. The layouter walks nodes' incoming/outgoing lists, which such models often leave out, so
 * they are filled in from the sequence flows first.
 */
export async function withDiagram(xml: string, log: FastifyBaseLogger): Promise<string> {
  if (/BPMNDiagram/.test(xml)) return xml;
  try {
    const { rootElement } = await moddle.fromXML(xml);
    const link = (container: FlowContainer) => {
      for (const element of container.flowElements ?? []) {
        if (element.$type === "bpmn:SequenceFlow" && element.sourceRef && element.targetRef) {
          const { sourceRef: source, targetRef: target } = element;
          if (!source.outgoing?.includes(element)) source.outgoing = [...(source.outgoing ?? []), element];
          if (!target.incoming?.includes(element)) target.incoming = [...(target.incoming ?? []), element];
        }
        if (element.flowElements) link(element);
      }
    };
    for (const root of (rootElement as { rootElements?: FlowContainer[] }).rootElements ?? []) {
      if (root.$type === "bpmn:Process") link(root);
    }
    const { xml: linked } = await moddle.toXML(rootElement, { format: true });
    return await layoutProcess(linked);
  } catch (e) {
    log.warn({ err: e }, "could not lay out a BPMN diagram; stored without one");
    return xml;
  }
}
