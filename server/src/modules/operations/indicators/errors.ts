import { defineErrors } from "../../../kernel/http/errors";

export const IndicatorErrors = defineErrors({
  INDICATOR_NOT_FOUND: { status: 404, title: "Indicator not found" },
  INDICATOR_EXISTS: { status: 409, title: "An indicator with this code exists already" },
});
