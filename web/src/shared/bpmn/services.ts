/**
 * The few bpmn-js / diagram-js services the app calls, typed narrowly (bpmn-js's own typings leave
 * most of them `any`). Obtain them with `viewer.get<Canvas>("canvas")`.
 */
import type { Element } from "bpmn-js/lib/model/Types";

export type BpmnElement = Element;

export interface Canvas {
  zoom(scale?: number | "fit-viewport", center?: "auto" | { x: number; y: number }): number;
  addMarker(element: BpmnElement | string, marker: string): void;
  removeMarker(element: BpmnElement | string, marker: string): void;
  scrollToElement(element: BpmnElement | string, padding?: number): void;
  getRootElement(): BpmnElement;
  /** Measures the container again (its size is cached). */
  resized(): void;
}

export interface ElementRegistry {
  get(id: string): BpmnElement | undefined;
}

export interface Selection {
  select(elements: BpmnElement | BpmnElement[] | null): void;
  get(): BpmnElement[];
}

export interface EventBus {
  on<E = unknown>(event: string, callback: (event: E) => void): void;
  off<E = unknown>(event: string, callback: (event: E) => void): void;
}

export interface Modeling {
  updateProperties(element: BpmnElement, properties: Record<string, unknown>): void;
}

export interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): unknown;
}
