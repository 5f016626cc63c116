/** Loaded on demand by ProcessDiagram, so bpmn-js stays out of the pages that show no diagram. */
import "./styles";

export { default as NavigatedViewer } from "bpmn-js/lib/NavigatedViewer";
