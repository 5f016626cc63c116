import { fuzzWriteOperations } from "../../../test/fuzz";

// Half of the write operations; the other half is in fuzz-2.test.ts, so the two run in parallel.
fuzzWriteOperations(0, 2);
