/**
 * PyTorch golden fixtures (float64 PyTorch results, run here in float32) through the fused
 * kernels directly: each layer and direction is one RnnForward/RnnBackward call, stacked and
 * bidirectional cases are assembled on the host exactly as PyTorch does.
 * Tolerance: 1e-4 relative to each tensor's largest magnitude (float32 on these sizes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RnnMode } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { FIXTURES_PATH, fixtureFiles, flattenNested, type JsonTensor } from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { backends, expectClose, type HostTensor } from './helpers.js';
import { runRnn } from './rnn_util.js';

const FIXTURE_DIR = process.env.RNNKIT_FIXTURES ?? FIXTURES_PATH;
const TOLERANCE = { rtol: 1e-4, atol: 1e-6 };

interface Fixture {
  mode: RnnMode;
  hidden_size: number;
  num_layers: number;
  num_directions: number;
  batch: number;
  seq_len: number;
  inputs: { x: JsonTensor; h0: JsonTensor; c0?: JsonTensor; lengths?: number[] | JsonTensor };
  params: Record<string, JsonTensor>;
  outputs: { output: JsonTensor; h_n: JsonTensor; c_n?: JsonTensor };
  cotangents: { dy: JsonTensor; dh_n: JsonTensor; dc_n?: JsonTensor };
  grads: Record<string, JsonTensor>;
}

function f32(t: JsonTensor): HostTensor {
  return { values: Float32Array.from(flattenNested(t)), shape: t.shape, dtype: 'float32' };
}

/** Rows [index] of a [S, B, H] state tensor. */
function state(t: HostTensor, index: number): HostTensor {
  const [, B, H] = t.shape;
  return {
    values: t.values.slice(index * B * H, (index + 1) * B * H),
    shape: [B, H],
    dtype: 'float32',
  };
}

/** Feature columns [from, from + width) of a [B, T, F] tensor. */
function columns(t: HostTensor, from: number, width: number): HostTensor {
  const [B, T, F] = t.shape;
  const values = new Float32Array(B * T * width);
  for (let r = 0; r < B * T; r++)
    values.set(t.values.subarray(r * F + from, r * F + from + width), r * width);
  return { values, shape: [B, T, width], dtype: 'float32' };
}

/** Concatenates [B, T, *] tensors along the features. */
function concatFeatures(ts: HostTensor[]): HostTensor {
  const [B, T] = ts[0].shape;
  const F = ts.reduce((n, t) => n + t.shape[2], 0);
  const values = new Float32Array(B * T * F);
  for (let r = 0; r < B * T; r++) {
    let at = r * F;
    for (const t of ts) {
      const w = t.shape[2];
      values.set(t.values.subarray(r * w, (r + 1) * w), at);
      at += w;
    }
  }
  return { values, shape: [B, T, F], dtype: 'float32' };
}

function stackStates(ts: HostTensor[]): HostTensor {
  const [B, H] = ts[0].shape;
  const values = new Float32Array(ts.length * B * H);
  ts.forEach((t, i) => values.set(t.values, i * B * H));
  return { values, shape: [ts.length, B, H], dtype: 'float32' };
}

function add(a: HostTensor, b: HostTensor): HostTensor {
  return { ...a, values: a.values.map((v, i) => v + b.values[i]) as Float32Array };
}

const files = existsSync(FIXTURE_DIR) ? fixtureFiles(FIXTURE_DIR) : [];

describe('PyTorch fixtures through RnnForward/RnnBackward (float32)', () => {
  it('finds the fixture directory', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, async () => {
      const { wasm } = await backends();
      const fx = JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as Fixture;
      const { mode, num_layers: L, num_directions: D, batch: B } = fx;
      const isLstm = mode === 'LSTM';
      const h0 = f32(fx.inputs.h0);
      const c0 = fx.inputs.c0 ? f32(fx.inputs.c0) : undefined;
      const dyAll = f32(fx.cotangents.dy);
      const dhN = f32(fx.cotangents.dh_n);
      const dcN = fx.cotangents.dc_n ? f32(fx.cotangents.dc_n) : undefined;
      const rawLengths = fx.inputs.lengths;
      const lengths: HostTensor | undefined = rawLengths
        ? {
            values: Int32Array.from(flattenNested(rawLengths)),
            shape: [B],
            dtype: 'int32',
          }
        : undefined;

      // Forward through the stack, keeping each call's case for the backward pass.
      let input = f32(fx.inputs.x);
      const layers: { input: HostTensor; outs: Record<string, HostTensor>[] }[] = [];
      const hN: HostTensor[] = [];
      const cN: HostTensor[] = [];
      for (let l = 0; l < L; l++) {
        const ys: HostTensor[] = [];
        layers.push({ input, outs: [] });
        for (let d = 0; d < D; d++) {
          const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const idx = l * D + d;
          // The backward cotangents are filled in below once the layer above is done; run the
          // forward now with zero cotangents only to read y/hN/cN.
          const c = {
            mode,
            reverse: d === 1,
            x: input,
            wIh: f32(fx.params[`weight_ih${suffix}`]),
            wHh: f32(fx.params[`weight_hh${suffix}`]),
            bIh: f32(fx.params[`bias_ih${suffix}`]),
            bHh: f32(fx.params[`bias_hh${suffix}`]),
            h0: state(h0, idx),
            c0: c0 ? state(c0, idx) : undefined,
            lengths,
          };
          const H = c.h0.shape[1];
          const zeros = (shape: number[]): HostTensor => ({
            values: new Float32Array(sizeOf(shape)),
            shape,
            dtype: 'float32',
          });
          const out = runRnn(wasm, {
            ...c,
            dy: zeros([B, fx.seq_len, H]),
            dhN: zeros([B, H]),
            dcN: isLstm ? zeros([B, H]) : undefined,
          });
          layers[l].outs.push(out);
          ys.push(out.y);
          hN.push(out.hN);
          if (out.cN) cN.push(out.cN);
        }
        input = concatFeatures(ys);
      }
      expectClose(input, f32(fx.outputs.output), TOLERANCE, `${file} output`);
      expectClose(stackStates(hN), f32(fx.outputs.h_n), TOLERANCE, `${file} h_n`);
      if (isLstm) expectClose(stackStates(cN), f32(fx.outputs.c_n!), TOLERANCE, `${file} c_n`);

      // Backward from the top layer down; the input gradient of layer l is the sum over
      // directions and becomes the output cotangent of layer l - 1.
      let dOut = dyAll;
      for (let l = L - 1; l >= 0; l--) {
        let dInput: HostTensor | undefined;
        for (let d = 0; d < D; d++) {
          const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const idx = l * D + d;
          const H = fx.hidden_size;
          const grads = runRnn(wasm, {
            mode,
            reverse: d === 1,
            x: layers[l].input,
            wIh: f32(fx.params[`weight_ih${suffix}`]),
            wHh: f32(fx.params[`weight_hh${suffix}`]),
            bIh: f32(fx.params[`bias_ih${suffix}`]),
            bHh: f32(fx.params[`bias_hh${suffix}`]),
            h0: state(h0, idx),
            c0: c0 ? state(c0, idx) : undefined,
            lengths,
            dy: columns(dOut, d * H, H),
            dhN: state(dhN, idx),
            dcN: dcN ? state(dcN, idx) : undefined,
          });
          const ctx = `${file} layer ${l} dir ${d}`;
          expectClose(grads.dWIh, f32(fx.grads[`weight_ih${suffix}`]), TOLERANCE, `${ctx} dW_ih`);
          expectClose(grads.dWHh, f32(fx.grads[`weight_hh${suffix}`]), TOLERANCE, `${ctx} dW_hh`);
          expectClose(grads.dBIh, f32(fx.grads[`bias_ih${suffix}`]), TOLERANCE, `${ctx} db_ih`);
          expectClose(grads.dBHh, f32(fx.grads[`bias_hh${suffix}`]), TOLERANCE, `${ctx} db_hh`);
          expectClose(grads.dh0, state(f32(fx.grads.h0), idx), TOLERANCE, `${ctx} dh0`);
          if (isLstm) expectClose(grads.dc0, state(f32(fx.grads.c0), idx), TOLERANCE, `${ctx} dc0`);
          dInput = dInput ? add(dInput, grads.dx) : grads.dx;
        }
        dOut = dInput!;
      }
      expectClose(dOut, f32(fx.grads.x), TOLERANCE, `${file} dx`);
    });
  }
});
