// The RNN_TANH and RNN_RELU cell on gpu.js: one kernel per forward step (the whole cell), two
// per backward step (the pre-activation gradient from the output, then dL/dh through W_hh).
import { int } from '../../codegen.js';
import type { GpuRnnCell } from './cell.js';
import { inputRow, outputAt, runStep } from './geometry.js';

/**
 * A plain recurrent cell: `activation` maps the GLSL pre-activation expression to the new
 * state, `derivative` gives dL/d(pre-activation) from `dh` and the output `h`.
 */
function simpleCell(activation: (v: string) => string, derivative: string): GpuRnnCell {
  return {
    hasCellState: false,
    keepsGates: false,
    separateHiddenGateGrads: false,
    forward(backend, step) {
      const { d, xp, state, wHh, bHh } = step;
      const { B, H } = d;
      const next = runStep(
        backend,
        step,
        {
          name: 'rnn-step',
          params: ['xp', 's', 'w', 'bh'],
          shape: [B, H],
          coords: ['b', 'j'],
          frozen: `s[b * ${int(H)} + j]`,
          body: [
            `let acc = xp[${inputRow(d, 'b')} + j] + bh[j];`,
            `for (let k = 0; k < ${H}; k++) {`,
            `  acc = acc + s[b * ${int(H)} + k] * w[j * ${int(H)} + k];`,
            '}',
            `return ${activation('acc')};`,
          ],
        },
        [xp, state, wHh, bHh],
      );
      return { state: next };
    },
    backward(backend, step) {
      const { d, carry, dy, stateAfter, wHh } = step;
      const { B, H } = d;
      const grads = runStep(
        backend,
        step,
        {
          name: 'rnn-bwd-grads',
          params: ['c', 'dy', 'sa'],
          shape: [B, H],
          coords: ['b', 'j'],
          frozen: '0.0',
          body: [
            `const dh = c[b * ${int(H)} + j] + dy[${outputAt(d)}];`,
            `const h = sa[b * ${int(H)} + j];`,
            `return ${derivative};`,
          ],
        },
        [carry, dy, stateAfter],
      );
      const next = runStep(
        backend,
        step,
        {
          name: 'rnn-bwd-carry',
          params: ['c', 'dg', 'w'],
          shape: [B, H],
          coords: ['b', 'j'],
          frozen: `c[b * ${int(H)} + j]`,
          body: [
            'let acc = 0.0;',
            `for (let k = 0; k < ${H}; k++) {`,
            `  acc = acc + dg[b * ${int(H)} + k] * w[k * ${H} + j];`,
            '}',
            'return acc;',
          ],
        },
        [carry, grads, wHh],
      );
      return { grads, carry: next };
    },
  };
}

/** `h = tanh(pre)`. */
export const tanhCell: GpuRnnCell = simpleCell((v) => `rkTanh(${v})`, 'dh * (1.0 - h * h)');

/** `h = max(pre, 0)`. */
export const reluCell: GpuRnnCell = simpleCell(
  (v) => `(${v} > 0.0 ? ${v} : 0.0)`,
  '(h > 0.0 ? dh : 0.0)',
);
