// Compiled, never run: mistakes that fail at load time, which the types
// must refuse (tsc fails when one of them stops being an error).

// @ts-expect-error: in Node the package is ready on import and has no default init (importing it throws)
import nodeInit from "tessera-jwt";

export const unused = nodeInit;
