/**
 * What the gpujs backend declares to the rnnkit conformance suite: the kernel cases it is
 * excused from, each with the hardware or GLSL reason. It is its own file because the suite
 * (`rnnkit-conformance --backend gpujs`, `describeConformance`) reads it from the package's
 * `conformance` export; the float64 cases need no entry (the suite derives them from
 * `backend.dtypes`). Each key must match a case of the suite, and the suite's Vitest face
 * runs every excluded case and fails when one passes, so a stale entry cannot linger.
 */

/**
 * The gpujs backend's conformance profile (the shape of `@rnnkit/conformance`'s
 * `ConformanceProfile`): test-id prefix → why the backend differs from the reference there.
 */
export const conformance: { readonly exclusions: Readonly<Record<string, string>> } = {
  exclusions: {
    ...Object.fromEntries(
      [
        ...['sign', 'log', 'sqrt', 'rsqrt', 'relu', 'step'].map((op) => `Unary/float32/${op}`),
        ...['mul', 'div', 'maximum', 'minimum', 'pow', 'equal', 'greater', 'greaterEqual']
          .concat(['less', 'lessEqual'])
          .map((op) => `Binary/float32/${op}`),
      ].map((op) => [
        `kernel/${op}/subnormals`,
        'WebGL flushes float32 subnormal operands (±1e-40) to zero, so the result is that of a zero operand (e.g. sign(1e-40) = 0, Infinity·1e-40 = NaN)',
      ]),
    ),
    ...Object.fromEntries(
      ['specials-small', 'specials-large'].map((c) => [
        `kernel/Binary/float32/pow/${c}`,
        "GLSL's pow is exp2(b·log2(a)) in float32, whose relative error grows with |b·log2(a)|: results far from 1 are off by up to ~2e-6 relative (pow(0.001, -2.5) gives 31622746, not 31622772), above the 6e-7 float32 tolerance",
      ]),
    ),
    'kernel/Cast/int32/to-int32/[5, 3]/wide':
      'int32 tensors live in float32 (RGBA32F) textures: integers beyond ±2^24 are rounded to float32 on upload',
  },
};
