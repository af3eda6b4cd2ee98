/**
 * The vanishing-gradient measurement of guide 3: the Frobenius norm of the Jacobian ∂h_T/∂x_t
 * for t = 1…T of a recurrent layer, averaged over random input sequences. The docs script draws
 * it for every cell; the playground recomputes it for the cell the page has selected.
 */
import { grad, mul, randomNormal, reshape, sum, type Tensor, tensor, tidy } from '@rnnkit/core';
import { GRU, LSTM, type RecurrentLayer, SimpleRNN } from '@rnnkit/nn';

/** Sizes of the measurement (the guide's figure uses the defaults). */
export interface JacobianSizes {
  /** Sequence length T (default 100). */
  steps?: number;
  /** Input features (default 8). */
  input?: number;
  /** Random sequences to average over (default 8). */
  sequences?: number;
}

/** Cells {@link freshCell} builds. */
export const JACOBIAN_CELLS = ['SimpleRNN', 'LSTM', 'GRU'] as const;
/** A cell name of {@link JACOBIAN_CELLS}. */
export type JacobianCell = (typeof JACOBIAN_CELLS)[number];

/** A one-layer `cell` at its default (PyTorch) initialisation with seed `seed`. */
export function freshCell(
  cell: JacobianCell,
  inputSize: number,
  hiddenSize: number,
  seed: number,
): RecurrentLayer {
  const options = { inputSize, hiddenSize, seed };
  if (cell === 'LSTM') return new LSTM(options);
  if (cell === 'GRU') return new GRU(options);
  return new SimpleRNN(options);
}

/**
 * ‖∂h_T/∂x_t‖_F for t = 1…T on the active backend, averaged over `sequences` standard-normal
 * sequences drawn from the global seed. One backward pass gives the whole Jacobian: each sequence
 * is repeated H times in the batch and copy j keeps only component j of h_T, so the gradient of
 * copy j is row j of the Jacobian.
 */
export function jacobianNorms(layer: RecurrentLayer, sizes: JacobianSizes = {}): number[] {
  const steps = sizes.steps ?? 100;
  const input = sizes.input ?? 8;
  const sequences = sizes.sequences ?? 8;
  const hidden = layer.hiddenSize;
  return tidy(() => {
    const x = randomNormal([sequences, 1, steps, input]);
    const repeated = reshape(mul(x, tensor(new Array(hidden).fill(1), [1, hidden, 1, 1])), [
      sequences * hidden,
      steps,
      input,
    ]);
    const pick = tensor(
      Array.from({ length: sequences * hidden * hidden }, (_, k) =>
        Math.floor(k / hidden) % hidden === k % hidden ? 1 : 0,
      ),
      [sequences * hidden, hidden],
    );
    const g = grad((seq: Tensor) => {
      const { hN } = layer.forward(seq); // [1, B, H]
      return sum(mul(reshape(hN, [sequences * hidden, hidden]), pick));
    })(repeated);
    const data = g.dataSync(); // [S·H, T, I]
    const norms = new Array<number>(steps).fill(0);
    for (let s = 0; s < sequences; s++) {
      for (let t = 0; t < steps; t++) {
        let squares = 0;
        for (let j = 0; j < hidden; j++) {
          const base = ((s * hidden + j) * steps + t) * input;
          for (let i = 0; i < input; i++) squares += data[base + i] ** 2;
        }
        norms[t] += Math.sqrt(squares) / sequences;
      }
    }
    return norms;
  });
}
