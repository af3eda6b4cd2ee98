// The GRU cell on gpu.js. A forward step is two kernels (the gates r, z, n and the hidden
// product `W_hn h + b_hn` `[B, 4H]`, then the new state); a backward step two (the input-side
// and hidden-side pre-activation gradients `[B, 6H]`, then dL/dh through W_hh).
import { int } from '../../codegen.js';
import type { GpuRnnCell } from './cell.js';
import { inputRow, outputAt, runStep } from './geometry.js';

/** The GRU strategy. */
export const gruCell: GpuRnnCell = {
  hasCellState: false,
  keepsGates: true,
  separateHiddenGateGrads: true,
  forward(backend, step) {
    const { d, xp, state, wHh, bHh } = step;
    const { B, H } = d;
    const gates = runStep(
      backend,
      step,
      {
        name: 'rnn-gates',
        params: ['xp', 's', 'w', 'bh'],
        shape: [B, 4, H],
        coords: ['b', 'q', 'j'],
        body: [
          // rowA is r's, z's (own gate) or, for n and hn, r's / hn's row.
          `const own = q * ${int(H)} + j;`,
          `let rowA = own;`,
          `if (q > 1.5) { rowA = j; }`,
          `if (q > 2.5) { rowA = ${int(2 * H)} + j; }`,
          `const rowB = ${int(2 * H)} + j;`,
          'let da = 0.0;',
          'let db = 0.0;',
          `for (let k = 0; k < ${H}; k++) {`,
          `  const hv = s[b * ${int(H)} + k];`,
          `  da = da + hv * w[rowA * ${int(H)} + k];`,
          `  db = db + hv * w[rowB * ${int(H)} + k];`,
          '}',
          `const xr = ${inputRow(d, 'b')};`,
          'if (q < 1.5) { return rkSigmoid(xp[xr + own] + bh[own] + da); }',
          `if (q > 2.5) { return da + bh[rowA]; }`,
          `const hn = db + bh[rowB];`,
          'const r = rkSigmoid(xp[xr + j] + bh[j] + da);',
          `return rkTanh(xp[xr + ${int(2 * H)} + j] + r * hn);`,
        ],
      },
      [xp, state, wHh, bHh],
    );
    const gb = `b * ${int(4 * H)}`;
    const next = runStep(
      backend,
      step,
      {
        name: 'rnn-gru-state',
        params: ['g', 's'],
        shape: [B, H],
        coords: ['b', 'j'],
        frozen: `s[b * ${int(H)} + j]`,
        body: [
          `const z = g[${gb} + ${int(H)} + j];`,
          `const n = g[${gb} + ${int(2 * H)} + j];`,
          `return (s[b * ${int(H)} + j] - n) * z + n;`,
        ],
      },
      [gates, state],
    );
    return { state: next, gates };
  },
  backward(backend, step) {
    const { d, carry, dy, stateBefore, gates, wHh } = step;
    const { B, H, GH } = d;
    const D = 2 * GH;
    const g = gates as NonNullable<typeof gates>;
    const gb = `b * ${int(4 * H)}`;
    const grads = runStep(
      backend,
      step,
      {
        name: 'rnn-bwd-grads',
        params: ['c', 'dy', 'sb', 'g'],
        shape: [B, 6, H],
        coords: ['b', 'q', 'j'],
        frozen: '0.0',
        body: [
          `const dh = c[b * ${int(H)} + j] + dy[${outputAt(d)}];`,
          `const r = g[${gb} + j];`,
          `const z = g[${gb} + ${int(H)} + j];`,
          `const n = g[${gb} + ${int(2 * H)} + j];`,
          `const hn = g[${gb} + ${int(3 * H)} + j];`,
          'const dn = dh * (1.0 - z) * (1.0 - n * n);',
          'if (q > 1.5 && q < 2.5) { return dn; }',
          'if (q > 4.5) { return dn * r; }',
          'if (q < 0.5 || (q > 2.5 && q < 3.5)) { return dn * hn * r * (1.0 - r); }',
          `return dh * (sb[b * ${int(H)} + j] - n) * z * (1.0 - z);`,
        ],
      },
      [carry, dy, stateBefore, g],
    );
    const next = runStep(
      backend,
      step,
      {
        name: 'rnn-bwd-carry',
        params: ['c', 'dy', 'dg', 'w', 'g'],
        shape: [B, H],
        coords: ['b', 'j'],
        frozen: `c[b * ${int(H)} + j]`,
        body: [
          `const dh = c[b * ${int(H)} + j] + dy[${outputAt(d)}];`,
          `let acc = dh * g[${gb} + ${int(H)} + j];`,
          `for (let k = 0; k < ${GH}; k++) {`,
          `  acc = acc + dg[b * ${int(D)} + ${int(GH)} + k] * w[k * ${H} + j];`,
          '}',
          'return acc;',
        ],
      },
      [carry, dy, grads, wHh, g],
    );
    return { grads, carry: next };
  },
};
