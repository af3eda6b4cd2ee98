// The LSTM cell on gpu.js. State rows hold `h | c` (`[B, 2H]`); a forward step is two kernels
// (the activated gates i, f, g, o `[B, 4H]` fusing the `h W_hh^T` dot products, then the new
// state), a backward step two (the gate gradients, then dL/dh through W_hh and dL/dc).
import { int } from '../../codegen.js';
import type { GpuRnnCell } from './cell.js';
import { inputRow, outputAt, runStep } from './geometry.js';

/** The LSTM strategy. */
export const lstmCell: GpuRnnCell = {
  hasCellState: true,
  keepsGates: true,
  separateHiddenGateGrads: false,
  forward(backend, step) {
    const { d, xp, state, wHh, bHh } = step;
    const { B, H, W } = d;
    const gates = runStep(
      backend,
      step,
      {
        name: 'rnn-gates',
        params: ['xp', 's', 'w', 'bh'],
        shape: [B, 4, H],
        coords: ['b', 'q', 'j'],
        body: [
          `let acc = xp[${inputRow(d, 'b')} + q * ${int(H)} + j] + bh[q * ${int(H)} + j];`,
          `const row = q * ${int(H)} + j;`,
          `for (let k = 0; k < ${H}; k++) {`,
          `  acc = acc + s[b * ${int(W)} + k] * w[row * ${int(H)} + k];`,
          '}',
          'if (q > 1.5 && q < 2.5) { return rkTanh(acc); }',
          'return rkSigmoid(acc);',
        ],
      },
      [xp, state, wHh, bHh],
    );
    const gb = `b * ${int(4 * H)}`;
    const next = runStep(
      backend,
      step,
      {
        name: 'rnn-lstm-state',
        params: ['g', 's'],
        shape: [B, 2, H],
        coords: ['b', 'q', 'j'],
        frozen: `s[b * ${int(W)} + q * ${int(H)} + j]`,
        body: [
          `const c = g[${gb} + ${int(H)} + j] * s[b * ${int(W)} + ${int(H)} + j] + g[${gb} + j] * g[${gb} + ${int(2 * H)} + j];`,
          'if (q > 0.5) { return c; }',
          `return g[${gb} + ${int(3 * H)} + j] * rkTanh(c);`,
        ],
      },
      [gates, state],
    );
    return { state: next, gates };
  },
  backward(backend, step) {
    const { d, carry, dy, stateAfter, stateBefore, gates, wHh } = step;
    const { B, H, W, GH } = d;
    const g = gates as NonNullable<typeof gates>;
    const gb = `b * ${int(4 * H)}`;
    const common = [
      `const dh = c[b * ${int(W)} + j] + dy[${outputAt(d)}];`,
      `const dc = c[b * ${int(W)} + ${int(H)} + j];`,
      `const o = g[${gb} + ${int(3 * H)} + j];`,
      `const tc = rkTanh(sa[b * ${int(W)} + ${int(H)} + j]);`,
      'const dct = dc + dh * o * (1.0 - tc * tc);',
    ];
    const grads = runStep(
      backend,
      step,
      {
        name: 'rnn-bwd-grads',
        params: ['c', 'dy', 'sa', 'sb', 'g'],
        shape: [B, 4, H],
        coords: ['b', 'q', 'j'],
        frozen: '0.0',
        body: [
          ...common,
          `const ig = g[${gb} + j];`,
          `const f = g[${gb} + ${int(H)} + j];`,
          `const gg = g[${gb} + ${int(2 * H)} + j];`,
          'if (q < 0.5) { return dct * gg * ig * (1.0 - ig); }',
          `if (q < 1.5) { return dct * sb[b * ${int(W)} + ${int(H)} + j] * f * (1.0 - f); }`,
          'if (q < 2.5) { return dct * ig * (1.0 - gg * gg); }',
          'return dh * tc * o * (1.0 - o);',
        ],
      },
      [carry, dy, stateAfter, stateBefore, g],
    );
    const next = runStep(
      backend,
      step,
      {
        name: 'rnn-bwd-carry',
        params: ['c', 'dy', 'dg', 'w', 'sa', 'g'],
        shape: [B, 2, H],
        coords: ['b', 'q', 'j'],
        frozen: `c[b * ${int(W)} + q * ${int(H)} + j]`,
        body: [
          'if (q > 0.5) {',
          ...common,
          `  return dct * g[${gb} + ${int(H)} + j];`,
          '}',
          'let acc = 0.0;',
          `for (let k = 0; k < ${GH}; k++) {`,
          `  acc = acc + dg[b * ${int(GH)} + k] * w[k * ${H} + j];`,
          '}',
          'return acc;',
        ],
      },
      [carry, dy, grads, wHh, stateAfter, g],
    );
    return { grads, carry: next };
  },
};
