import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { add, dispose, mul, sum, type Tensor, type Variable, valueAndGrads } from '@rnnkit/core';
import { expect } from 'vitest';
import type { RecurrentForwardOptions, RecurrentOutput } from '../src/layers/recurrent.js';
import type { StateDict } from '../src/state_dict.js';
import { expectClose, fromFixture, type Nested } from './helpers.js';

/** The PyTorch golden fixtures of the conformance suite. */
export const FIXTURE_DIR = fileURLToPath(
  new URL('../../../../shared/conformance/fixtures/', import.meta.url),
);

/** A tensor in a fixture. */
export interface TensorJson {
  shape: number[];
  data: Nested;
}

/** One fixture file (see /work/shared/conformance/README.md). */
export interface Fixture {
  name: string;
  mode: 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
  input_size: number;
  hidden_size: number;
  num_layers: number;
  bidirectional: boolean;
  param_names: string[];
  inputs: { x: TensorJson; h0: TensorJson; c0?: TensorJson; lengths?: number[] };
  params: Record<string, TensorJson>;
  outputs: { output: TensorJson; h_n: TensorJson; c_n?: TensorJson };
  cotangents: { dy: TensorJson; dh_n: TensorJson; dc_n?: TensorJson };
  loss: number;
  grads: Record<string, TensorJson>;
}

/** Every fixture file name but index.json, sorted. */
export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort();
}

/** Reads one fixture. */
export function readFixture(file: string): Fixture {
  return JSON.parse(readFileSync(`${FIXTURE_DIR}${file}`, 'utf8')) as Fixture;
}

/** What {@link checkFixture} needs of a layer. */
export interface ForwardLayer {
  forward(x: Tensor, options?: RecurrentForwardOptions): RecurrentOutput;
  namedParameters(): Map<string, Variable>;
  parameters(): Variable[];
  loadStateDict(stateDict: StateDict): void;
}

/**
 * Loads the fixture's weights into `layer`, runs it with the fixture's x, h0, c0 and lengths,
 * and compares output/h_n/c_n (1e-12) and the gradients of the fixture's loss with respect to
 * x, h0, c0 and every parameter (1e-10), all relative to scale.
 */
export function checkFixture(layer: ForwardLayer, fx: Fixture): void {
  expect([...layer.namedParameters().keys()]).toEqual(fx.param_names);
  layer.loadStateDict(fx.params);
  const x = fromFixture(fx.inputs.x);
  const h0 = fromFixture(fx.inputs.h0);
  const c0 = fx.inputs.c0 ? fromFixture(fx.inputs.c0) : undefined;
  const dy = fromFixture(fx.cotangents.dy);
  const dhN = fromFixture(fx.cotangents.dh_n);
  const dcN = fx.cotangents.dc_n ? fromFixture(fx.cotangents.dc_n) : undefined;
  const run = (): RecurrentOutput =>
    layer.forward(x, {
      initialState: c0 ? { h: h0, c: c0 } : { h: h0 },
      lengths: fx.inputs.lengths,
    });

  const out = run();
  expectClose(out.output, fx.outputs.output, 1e-12, 'output');
  expectClose(out.hN, fx.outputs.h_n, 1e-12, 'h_n');
  if (fx.outputs.c_n) expectClose(out.cN!, fx.outputs.c_n, 1e-12, 'c_n');
  dispose(out);

  const wrt: Tensor[] = [x, h0, ...(c0 ? [c0] : []), ...layer.parameters()];
  const { value, grads } = valueAndGrads(() => {
    const r = run();
    let loss = add(sum(mul(r.output, dy)), sum(mul(r.hN, dhN)));
    if (r.cN && dcN) loss = add(loss, sum(mul(r.cN, dcN)));
    return loss;
  })(wrt);
  expect(Math.abs(value.item() - fx.loss)).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(fx.loss)),
  );
  const names = ['x', 'h0', ...(c0 ? ['c0'] : []), ...fx.param_names];
  names.forEach((n, i) => expectClose(grads[i], fx.grads[n], 1e-10, `grad ${n}`));
  dispose([value, grads, x, h0, c0, dy, dhN, dcN].filter((t) => t !== undefined));
}
