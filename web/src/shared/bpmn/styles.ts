// bpmn-js's styles and the app's markers, loaded only with the viewer or the modeler (never at sign-in).
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";
import "bpmn-js/dist/assets/bpmn-font/css/bpmn.css";
import "./bpmn.css";
