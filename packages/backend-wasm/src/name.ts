// The registry name of the backend, on its own so that both the backend and the entry point can
// use it without an import cycle.

/** The name this backend registers under. */
export const WASM_BACKEND_NAME = 'wasm';
