import { defineErrors } from "../../../kernel/http/errors";

const ETSI = "https://uri.etsi.org/ngsi-ld/errors/";

/** The NGSI-LD API's errors, answered with the ProblemDetails types of ETSI GS CIM 009 §5.5.2. */
export const NgsiErrors = defineErrors({
  NGSI_INVALID_REQUEST: { status: 400, title: "The request is not valid", type: `${ETSI}InvalidRequest` },
  NGSI_BAD_REQUEST_DATA: {
    status: 400,
    title: "The request data is not valid NGSI-LD",
    type: `${ETSI}BadRequestData`,
  },
  NGSI_ALREADY_EXISTS: { status: 409, title: "The entity already exists", type: `${ETSI}AlreadyExists` },
  NGSI_OPERATION_NOT_SUPPORTED: {
    status: 422,
    title: "The operation is not supported",
    type: `${ETSI}OperationNotSupported`,
  },
  NGSI_RESOURCE_NOT_FOUND: {
    status: 404,
    title: "The entity or attribute was not found",
    type: `${ETSI}ResourceNotFound`,
  },
  NGSI_TOO_MANY_RESULTS: {
    status: 403,
    title: "The query matches too many entities",
    type: `${ETSI}TooManyResults`,
  },
  NGSI_NOT_ACCEPTABLE: { status: 406, title: "The requested media type cannot be produced" },
  NGSI_LD_CONTEXT_NOT_AVAILABLE: {
    status: 503,
    title: "The @context is not available",
    type: `${ETSI}LdContextNotAvailable`,
  },
});
