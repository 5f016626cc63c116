import { fuzzWriteOperations } from "../../../test/fuzz";

// The other half of the write operations (see fuzz.test.ts).
fuzzWriteOperations(1, 2);
