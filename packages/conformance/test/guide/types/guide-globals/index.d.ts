/**
 * The one name the guides' code blocks use without importing it: `check`, the assertion of the
 * doc-example runner (`@rnnkit/test-utils`), provided at run time by test/guide.test.ts.
 */
declare global {
  /**
   * Throws unless `actual` matches `expected`: tensors by value, numbers within
   * `tolerance · max(1, |expected|)` (default 1e-4), arrays element-wise, objects on the keys of
   * `expected`.
   */
  function check(actual: unknown, expected: unknown, tolerance?: number): void;
}

export {};
