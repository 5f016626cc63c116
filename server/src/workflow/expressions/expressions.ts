/**
 * A small, safe expression language for BPMN sequence-flow conditions, multi-instance completion
 * conditions, timers and assignees. It never uses eval or Function and reads only own data properties
 * of plain objects and arrays.
 *
 *   evaluate(parseExpression("${amount > 1000 && approved == true}"), { amount: 1500, approved: true })
 *
 * Split into tokenizer → Pratt parser → tree-walking evaluator; this file is the only import surface.
 */
export {
  type BinaryOp,
  type Expr,
  ExpressionError,
  expressionVariables,
  type LogicalOp,
  type UnaryOp,
} from "./ast";
export { type ExpressionFunction, evaluate } from "./evaluator";
export { parseExpression } from "./parser";

/**
 * Whether a model attribute holds an expression (`${…}`, `#{…}`, `= …`) rather than a literal value
 * (an assignee's username, an ISO date or duration).
 */
export function isExpression(source: string): boolean {
  return source.includes("{") || source.trimStart().startsWith("=");
}
