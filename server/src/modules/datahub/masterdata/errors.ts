import { defineErrors } from "../../../kernel/http/errors";

export const MasterErrors = defineErrors({
  SOURCE_NOT_FOUND: { status: 404, title: "Master-data source not found" },
  NOT_SOURCE_DEPARTMENT: {
    status: 403,
    title: "Only the source's department or the data bureau may manage or load it",
  },
  SOURCE_BASE_FIXED: { status: 409, title: "A source keeps the base it feeds" },
  LOAD_NOT_FOUND: { status: 404, title: "Load not found" },
  LOAD_REFUSED: { status: 422, title: "The dataset cannot be loaded" },
  UNSUPPORTED_DATASET_TYPE: {
    status: 415,
    title: "A dataset is text/csv, application/x-ndjson or application/json",
  },
  GOLDEN_NOT_FOUND: { status: 404, title: "No such person or enterprise in the base" },
  REVIEW_NOT_FOUND: { status: 404, title: "Review pair not found" },
  REVIEW_DECIDED: { status: 409, title: "The pair is decided already; undo the decision first" },
  REVIEW_NOT_DECIDED: { status: 409, title: "The pair is not decided" },
  REVIEW_STALE: { status: 409, title: "The record or the candidate changed since the pair was queued" },
  KEYS_CONFLICT: { status: 409, title: "The two records hold different valid identifiers" },
  NOT_AUTHORITATIVE: {
    status: 403,
    title: "Only the authoritative department of a field (数源责任清单) may update it",
  },
});
