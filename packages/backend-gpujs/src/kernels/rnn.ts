import type { KernelFunc, KernelOutputs, RnnMode, RnnSizes, TensorInfo } from '@rnnkit/core';
import { rnnSizes, rnnStepAt, sizeOf, ValueError } from '@rnnkit/core';
import type { GpujsBackend, GpuValue, KernelArg } from '../backend.js';
import { int, kernelSource, unravel } from '../codegen.js';
import { columnSums, gemm } from './gemm.js';
import { concatColumns } from './shape.js';

/**
 * Fused recurrent layers on the GPU.
 *
 * Forward: one product kernel computes the input projection of every step,
 * `XP = x W_ih^T + b_ih` (`[B*T, G*H]`); then each step runs one kernel (RNN: the whole cell) or
 * two (LSTM, GRU: the activated gates `[B, 4H]`, then the new state), each fusing the `h W_hh^T`
 * dot products with the gate arithmetic. The step index `t` and the per-sequence lengths are
 * kernel arguments (a float uniform and an int32 texture), so a shape compiles its kernels
 * once and nothing is read back inside the loop: sequences past their length keep their state
 * (frozen) because the kernel compares `t` with `lengths[b]` itself.
 *
 * State textures: `[B, H]` (RNN, GRU) or `[B, 2H]` holding `h | c` per row (LSTM). Gate
 * textures: `[B, 4H]`, LSTM `i, f, g, o` (activated), GRU `r, z, n, W_hn h + b_hn`.
 *
 * Reserve (private layout): a tensor whose storage references the list of immutable textures
 * `[S_-1, S_0, …, S_{T-1}, G_0, …, G_{T-1}]` in processing order, where `S_-1` is the initial
 * state (an alias of h0, or h0|c0 packed) and `S_p`/`G_p` the state after / gates of the step
 * processed `p`-th (the G list only for LSTM and GRU). The forward deletes them when not
 * training; otherwise they live until the reserve tensor is disposed.
 *
 * Backward: per step (in reverse processing order) one kernel computes the pre-activation
 * gradients of the step `[B, D]` (D = G*H; GRU 6H: the input-side r, z, n then the hidden-side
 * r, z, r*n) and one carries dL/dh (and dL/dc) to the previous step through `W_hh`. The step
 * gradients and the states before each step are then joined in time order (concatenation
 * passes) and the weight, bias and input gradients are each one product or column-sum kernel.
 */

/** Sizes of one fused call. */
interface Dims extends RnnSizes {
  mode: RnnMode;
  /** State width: 2H for LSTM (h | c), else H. */
  W: number;
  lengths: boolean;
}

function dims(
  inputs: { x: TensorInfo; h0: TensorInfo; lengths?: TensorInfo },
  mode: RnnMode,
): Dims {
  const sizes = rnnSizes(inputs, mode);
  const { H } = sizes;
  return {
    ...sizes,
    mode,
    W: mode === 'LSTM' ? 2 * H : H,
    lengths: !!inputs.lengths,
  };
}

function dimsKey(d: Dims): string {
  return `${d.mode}:${d.B}x${d.T}x${d.I}x${d.H}:${d.lengths ? 'len' : 'full'}`;
}

/**
 * Source of a per-step kernel over output `shape`: `t` is a float uniform, `len` (when the call
 * has lengths) the int32 lengths texture; `frozen` is returned for sequences whose step `t` is
 * padding.
 */
function stepSource(
  d: Dims,
  params: readonly string[],
  shape: readonly number[],
  names: readonly string[],
  frozen: string | undefined,
  body: string,
): string {
  const { code, coords } = unravel('i', shape, 'o');
  const lines = [code, ...names.map((name, k) => `const ${name} = ${coords[k]};`)];
  const useLengths = d.lengths && frozen !== undefined;
  if (useLengths) lines.push(`if (t >= len[b]) { return ${frozen}; }`);
  lines.push(body);
  return kernelSource(useLengths ? [...params, 't', 'len'] : [...params, 't'], lines.join('\n'));
}

function stepArgs(d: Dims, args: KernelArg[], t: number, len: GpuValue | undefined): KernelArg[] {
  return d.lengths && len ? [...args, t, len] : [...args, t];
}

const ACTIVATION: Readonly<Record<RnnMode, (v: string) => string>> = {
  RNN_TANH: (v) => `rkTanh(${v})`,
  RNN_RELU: (v) => `(${v} > 0.0 ? ${v} : 0.0)`,
  LSTM: (v) => v,
  GRU: (v) => v,
};

/** Copies the `[B, H]` half at column `offset` out of `[B, 2H]` LSTM state rows. */
function half(backend: GpujsBackend, d: Dims, s: GpuValue, offset: number): GpuValue {
  return backend.run(
    `rnn-half:${d.B}x${d.H}:${offset}`,
    d.B * d.H,
    () => {
      const { code, coords } = unravel('i', [d.B, d.H], 'o');
      const [b, j] = coords;
      return kernelSource(
        ['s'],
        `${code}\nreturn s[${b} * ${int(2 * d.H)} + ${int(offset)} + ${j}];`,
      );
    },
    [s],
  );
}

/** Packs `[B, H]` h and c (or zeros) into `[B, 2H]` LSTM state rows. */
function pack(backend: GpujsBackend, d: Dims, h: GpuValue, c: GpuValue | undefined): GpuValue {
  return backend.run(
    `rnn-pack:${d.B}x${d.H}:${c ? 'hc' : 'h0'}`,
    d.B * 2 * d.H,
    () => {
      const { code, coords } = unravel('i', [d.B, 2, d.H], 'o');
      const [b, q, j] = coords;
      const at = `${b} * ${int(d.H)} + ${j}`;
      return kernelSource(
        c ? ['h', 'c'] : ['h'],
        `${code}\nif (${q} < 0.5) { return h[${at}]; }\nreturn ${c ? `c[${at}]` : '0.0'};`,
      );
    },
    c ? [h, c] : [h],
  );
}

/** `[B, T, W]` in time order from per-step `[B, W]` textures. */
function stack(
  backend: GpujsBackend,
  d: Dims,
  values: readonly GpuValue[],
  width: number,
): GpuValue {
  return concatColumns(
    backend,
    values,
    values.map(() => width),
    d.B,
  );
}

/** Fused forward pass of one recurrent layer in one direction (see the module comment). */
export const rnnForward: KernelFunc<'RnnForward', GpujsBackend> = (inputs, attrs, backend) => {
  const { mode, reverse, training } = attrs;
  const d = dims(inputs, mode);
  const { B, T, I, H, GH, W } = d;
  const dtype = inputs.x.dtype;
  const isLstm = mode === 'LSTM';
  const isGru = mode === 'GRU';
  const key = dimsKey(d);

  const outputs = (
    y: GpuValue | null,
    hN: GpuValue | null,
    cN: GpuValue | null,
    reserve: GpuValue[],
  ) => {
    const out: KernelOutputs<'RnnForward'> = {
      y: backend.make(y, [B, T, H], dtype),
      hN: backend.make(hN, [B, H], dtype),
      reserve: backend.makeReserve(reserve),
    };
    if (isLstm) out.cN = backend.make(cN, [B, H], dtype);
    return out;
  };
  if (B * H === 0) return outputs(null, null, null, []);

  const h0 = backend.value(inputs.h0);
  const c0 = isLstm && inputs.c0 ? backend.value(inputs.c0) : undefined;
  if (T === 0) {
    const cN = isLstm ? (c0 ? backend.alias(c0) : backend.upload(new Float32Array(B * H))) : null;
    return outputs(null, backend.alias(h0), cN, []);
  }

  const len = inputs.lengths ? backend.value(inputs.lengths) : undefined;
  const wHh = backend.value(inputs.wHh);
  const bHh = backend.value(inputs.bHh);
  // Input projection of every step: XP[b*T + t, :] = x[b, t, :] W_ih^T + b_ih.
  const xp = gemm(
    backend,
    {
      batch: 1,
      M: B * T,
      N: GH,
      K: I,
      a: { batch: 0, outer: I, k: 1 },
      b: { batch: 0, outer: I, k: 1 },
      bias: true,
    },
    backend.value(inputs.x),
    backend.value(inputs.wIh),
    backend.value(inputs.bIh),
  );
  const xRow = (b: string) => `${b} * ${int(T * GH)} + t * ${int(GH)}`;

  const states: GpuValue[] = [isLstm ? pack(backend, d, h0, c0) : backend.alias(h0)];
  const gates: GpuValue[] = [];
  for (let p = 0; p < T; p++) {
    const t = rnnStepAt(reverse, T, p);
    const prev = states[p];
    if (!isLstm && !isGru) {
      states.push(
        backend.run(
          `rnn-step:${key}`,
          B * H,
          () =>
            stepSource(
              d,
              ['xp', 's', 'w', 'bh'],
              [B, H],
              ['b', 'j'],
              `s[b * ${int(H)} + j]`,
              [
                `let acc = xp[${xRow('b')} + j] + bh[j];`,
                `for (let k = 0; k < ${H}; k++) {`,
                `  acc = acc + s[b * ${int(H)} + k] * w[j * ${int(H)} + k];`,
                '}',
                `return ${ACTIVATION[mode]('acc')};`,
              ].join('\n'),
            ),
          stepArgs(d, [xp, prev, wHh, bHh], t, len),
        ),
      );
      continue;
    }
    const g = backend.run(
      `rnn-gates:${key}`,
      B * 4 * H,
      () => {
        const lines = isLstm
          ? [
              `let acc = xp[${xRow('b')} + q * ${int(H)} + j] + bh[q * ${int(H)} + j];`,
              `const row = q * ${int(H)} + j;`,
              `for (let k = 0; k < ${H}; k++) {`,
              `  acc = acc + s[b * ${int(W)} + k] * w[row * ${int(H)} + k];`,
              '}',
              'if (q > 1.5 && q < 2.5) { return rkTanh(acc); }',
              'return rkSigmoid(acc);',
            ]
          : [
              // GRU: rowA is r's, z's (own gate) or, for n and hn, r's / hn's row.
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
              `const xr = ${xRow('b')};`,
              'if (q < 1.5) { return rkSigmoid(xp[xr + own] + bh[own] + da); }',
              `if (q > 2.5) { return da + bh[rowA]; }`,
              `const hn = db + bh[rowB];`,
              'const r = rkSigmoid(xp[xr + j] + bh[j] + da);',
              `return rkTanh(xp[xr + ${int(2 * H)} + j] + r * hn);`,
            ];
        return stepSource(
          d,
          ['xp', 's', 'w', 'bh'],
          [B, 4, H],
          ['b', 'q', 'j'],
          undefined,
          lines.join('\n'),
        );
      },
      [xp, prev, wHh, bHh, t],
    );
    gates.push(g);
    const gb = `b * ${int(4 * H)}`;
    states.push(
      isLstm
        ? backend.run(
            `rnn-lstm-state:${key}`,
            B * W,
            () =>
              stepSource(
                d,
                ['g', 's'],
                [B, 2, H],
                ['b', 'q', 'j'],
                `s[b * ${int(W)} + q * ${int(H)} + j]`,
                [
                  `const c = g[${gb} + ${int(H)} + j] * s[b * ${int(W)} + ${int(H)} + j] + g[${gb} + j] * g[${gb} + ${int(2 * H)} + j];`,
                  'if (q > 0.5) { return c; }',
                  `return g[${gb} + ${int(3 * H)} + j] * rkTanh(c);`,
                ].join('\n'),
              ),
            stepArgs(d, [g, prev], t, len),
          )
        : backend.run(
            `rnn-gru-state:${key}`,
            B * H,
            () =>
              stepSource(
                d,
                ['g', 's'],
                [B, H],
                ['b', 'j'],
                `s[b * ${int(H)} + j]`,
                [
                  `const z = g[${gb} + ${int(H)} + j];`,
                  `const n = g[${gb} + ${int(2 * H)} + j];`,
                  `return (s[b * ${int(H)} + j] - n) * z + n;`,
                ].join('\n'),
              ),
            stepArgs(d, [g, prev], t, len),
          ),
    );
  }
  backend.free(xp);

  const after = states.slice(1);
  const stacked = stack(backend, d, reverse ? [...after].reverse() : after, W);
  let y = stacked;
  if (isLstm || d.lengths) {
    y = backend.run(
      `rnn-y:${key}`,
      B * T * H,
      () => {
        const { code, coords } = unravel('i', [B, T, H], 'o');
        const [b, t, j] = coords;
        return kernelSource(
          d.lengths ? ['st', 'len'] : ['st'],
          [
            code,
            d.lengths ? `if (${t} >= len[${b}]) { return 0.0; }` : '',
            `return st[${b} * ${int(T * W)} + ${t === '0.0' ? '' : `${t} * ${int(W)} + `}${j}];`,
          ].join('\n'),
        );
      },
      d.lengths && len ? [stacked, len] : [stacked],
    );
    backend.free(stacked);
  }
  const last = states[T];
  const hN = isLstm ? half(backend, d, last, 0) : backend.alias(last);
  const cN = isLstm ? half(backend, d, last, H) : null;
  const reserve = [...states, ...gates];
  if (!training) for (const v of reserve) backend.free(v);
  return outputs(y, hN, cN, training ? reserve : []);
};

/** Backpropagation through time for {@link rnnForward}, from its reserve textures. */
export const rnnBackward: KernelFunc<'RnnBackward', GpujsBackend> = (inputs, attrs, backend) => {
  const { mode, reverse } = attrs;
  const d = dims(inputs, mode);
  const { B, T, I, H, GH, W } = d;
  const dtype = inputs.x.dtype;
  const isLstm = mode === 'LSTM';
  const isGru = mode === 'GRU';
  const key = dimsKey(d);
  /** Width of a step's gradient rows: GRU keeps input- and hidden-side gradients apart. */
  const D = isGru ? 2 * GH : GH;
  const hiddenOffset = isGru ? GH : 0;

  const zeros = (shape: number[]) => backend.fill(shape, dtype, 0);
  if (B * H === 0 || T === 0) {
    const out: KernelOutputs<'RnnBackward'> = {
      dx: zeros([B, T, I]),
      dWIh: zeros([GH, I]),
      dWHh: zeros([GH, H]),
      dBIh: zeros([GH]),
      dBHh: zeros([GH]),
      dh0:
        B * H === 0
          ? zeros([B, H])
          : backend.make(backend.alias(backend.value(inputs.dhN)), [B, H], dtype),
    };
    if (isLstm) {
      out.dc0 =
        B * H > 0 && inputs.dcN
          ? backend.make(backend.alias(backend.value(inputs.dcN)), [B, H], dtype)
          : zeros([B, H]);
    }
    return out;
  }

  const parts = backend.parts(inputs.reserve);
  const expected = (isLstm || isGru ? 2 * T : T) + 1;
  if (parts.length !== expected) {
    throw new ValueError(
      'gpujs RnnBackward: the reserve must come from a gpujs RnnForward call with training: true and the same shapes',
    );
  }
  const states = parts.slice(0, T + 1);
  const gates = parts.slice(T + 1);
  const len = inputs.lengths ? backend.value(inputs.lengths) : undefined;
  const dy = backend.value(inputs.dy);
  const wHh = backend.value(inputs.wHh);
  const dyAt = `b * ${int(T * H)} + t * ${int(H)} + j`;

  let carry = isLstm
    ? pack(
        backend,
        d,
        backend.value(inputs.dhN),
        inputs.dcN ? backend.value(inputs.dcN) : undefined,
      )
    : backend.alias(backend.value(inputs.dhN));
  const stepGrads: GpuValue[] = new Array(T);
  for (let p = T - 1; p >= 0; p--) {
    const t = rnnStepAt(reverse, T, p);
    const sAfter = states[p + 1];
    const sBefore = states[p];
    let grads: GpuValue;
    let next: GpuValue;
    if (!isLstm && !isGru) {
      const derivative = mode === 'RNN_TANH' ? 'dh * (1.0 - h * h)' : '(h > 0.0 ? dh : 0.0)';
      grads = backend.run(
        `rnn-bwd-grads:${key}`,
        B * H,
        () =>
          stepSource(
            d,
            ['c', 'dy', 'sa'],
            [B, H],
            ['b', 'j'],
            '0.0',
            [
              `const dh = c[b * ${int(H)} + j] + dy[${dyAt}];`,
              `const h = sa[b * ${int(H)} + j];`,
              `return ${derivative};`,
            ].join('\n'),
          ),
        stepArgs(d, [carry, dy, sAfter], t, len),
      );
      next = backend.run(
        `rnn-bwd-carry:${key}`,
        B * H,
        () =>
          stepSource(
            d,
            ['c', 'dg', 'w'],
            [B, H],
            ['b', 'j'],
            `c[b * ${int(H)} + j]`,
            [
              'let acc = 0.0;',
              `for (let k = 0; k < ${H}; k++) {`,
              `  acc = acc + dg[b * ${int(H)} + k] * w[k * ${H} + j];`,
              '}',
              'return acc;',
            ].join('\n'),
          ),
        stepArgs(d, [carry, grads, wHh], t, len),
      );
    } else if (isLstm) {
      const g = gates[p];
      const gb = `b * ${int(4 * H)}`;
      const common = [
        `const dh = c[b * ${int(W)} + j] + dy[${dyAt}];`,
        `const dc = c[b * ${int(W)} + ${int(H)} + j];`,
        `const o = g[${gb} + ${int(3 * H)} + j];`,
        `const tc = rkTanh(sa[b * ${int(W)} + ${int(H)} + j]);`,
        'const dct = dc + dh * o * (1.0 - tc * tc);',
      ];
      grads = backend.run(
        `rnn-bwd-grads:${key}`,
        B * GH,
        () =>
          stepSource(
            d,
            ['c', 'dy', 'sa', 'sb', 'g'],
            [B, 4, H],
            ['b', 'q', 'j'],
            '0.0',
            [
              ...common,
              `const ig = g[${gb} + j];`,
              `const f = g[${gb} + ${int(H)} + j];`,
              `const gg = g[${gb} + ${int(2 * H)} + j];`,
              'if (q < 0.5) { return dct * gg * ig * (1.0 - ig); }',
              `if (q < 1.5) { return dct * sb[b * ${int(W)} + ${int(H)} + j] * f * (1.0 - f); }`,
              'if (q < 2.5) { return dct * ig * (1.0 - gg * gg); }',
              'return dh * tc * o * (1.0 - o);',
            ].join('\n'),
          ),
        stepArgs(d, [carry, dy, sAfter, sBefore, g], t, len),
      );
      next = backend.run(
        `rnn-bwd-carry:${key}`,
        B * W,
        () =>
          stepSource(
            d,
            ['c', 'dy', 'dg', 'w', 'sa', 'g'],
            [B, 2, H],
            ['b', 'q', 'j'],
            `c[b * ${int(W)} + q * ${int(H)} + j]`,
            [
              'if (q > 0.5) {',
              ...common,
              `  return dct * g[${gb} + ${int(H)} + j];`,
              '}',
              'let acc = 0.0;',
              `for (let k = 0; k < ${GH}; k++) {`,
              `  acc = acc + dg[b * ${int(GH)} + k] * w[k * ${H} + j];`,
              '}',
              'return acc;',
            ].join('\n'),
          ),
        stepArgs(d, [carry, dy, grads, wHh, sAfter, g], t, len),
      );
    } else {
      const g = gates[p];
      const gb = `b * ${int(4 * H)}`;
      grads = backend.run(
        `rnn-bwd-grads:${key}`,
        B * D,
        () =>
          stepSource(
            d,
            ['c', 'dy', 'sb', 'g'],
            [B, 6, H],
            ['b', 'q', 'j'],
            '0.0',
            [
              `const dh = c[b * ${int(H)} + j] + dy[${dyAt}];`,
              `const r = g[${gb} + j];`,
              `const z = g[${gb} + ${int(H)} + j];`,
              `const n = g[${gb} + ${int(2 * H)} + j];`,
              `const hn = g[${gb} + ${int(3 * H)} + j];`,
              'const dn = dh * (1.0 - z) * (1.0 - n * n);',
              'if (q > 1.5 && q < 2.5) { return dn; }',
              'if (q > 4.5) { return dn * r; }',
              'if (q < 0.5 || (q > 2.5 && q < 3.5)) { return dn * hn * r * (1.0 - r); }',
              `return dh * (sb[b * ${int(H)} + j] - n) * z * (1.0 - z);`,
            ].join('\n'),
          ),
        stepArgs(d, [carry, dy, sBefore, g], t, len),
      );
      next = backend.run(
        `rnn-bwd-carry:${key}`,
        B * H,
        () =>
          stepSource(
            d,
            ['c', 'dy', 'dg', 'w', 'g'],
            [B, H],
            ['b', 'j'],
            `c[b * ${int(H)} + j]`,
            [
              `const dh = c[b * ${int(H)} + j] + dy[${dyAt}];`,
              `let acc = dh * g[${gb} + ${int(H)} + j];`,
              `for (let k = 0; k < ${GH}; k++) {`,
              `  acc = acc + dg[b * ${int(D)} + ${int(GH)} + k] * w[k * ${H} + j];`,
              '}',
              'return acc;',
            ].join('\n'),
          ),
        stepArgs(d, [carry, dy, grads, wHh, g], t, len),
      );
    }
    backend.free(carry);
    carry = next;
    stepGrads[p] = grads;
  }

  // Time order: the step processed p-th is t = p (forward) or T-1-p (reverse).
  const inTimeOrder = <V>(byPosition: readonly V[]) =>
    reverse ? [...byPosition].reverse() : [...byPosition];
  const all = stack(backend, d, inTimeOrder(stepGrads), D); // [B*T, D]
  const statesBefore = stack(backend, d, inTimeOrder(states.slice(0, T)), W); // [B*T, W]
  for (const v of stepGrads) backend.free(v);
  const rows = B * T;
  const product = (shape: number[], make: () => GpuValue) =>
    sizeOf(shape) === 0 ? backend.empty(shape, dtype) : backend.make(make(), shape, dtype);

  const out: KernelOutputs<'RnnBackward'> = {
    dx: product([B, T, I], () =>
      gemm(
        backend,
        {
          batch: 1,
          M: rows,
          N: I,
          K: GH,
          a: { batch: 0, outer: D, k: 1 },
          b: { batch: 0, outer: 1, k: I },
        },
        all,
        backend.value(inputs.wIh),
      ),
    ),
    dWIh: product([GH, I], () =>
      gemm(
        backend,
        {
          batch: 1,
          M: GH,
          N: I,
          K: rows,
          a: { batch: 0, outer: 1, k: D },
          b: { batch: 0, outer: 1, k: I },
        },
        all,
        backend.value(inputs.x),
      ),
    ),
    dWHh: product([GH, H], () =>
      gemm(
        backend,
        {
          batch: 1,
          M: GH,
          N: H,
          K: rows,
          a: { batch: 0, outer: 1, k: D, offset: hiddenOffset },
          b: { batch: 0, outer: 1, k: W },
        },
        all,
        statesBefore,
      ),
    ),
    dBIh: backend.make(columnSums(backend, all, rows, GH, D, 0), [GH], dtype),
    dBHh: backend.make(columnSums(backend, all, rows, GH, D, hiddenOffset), [GH], dtype),
    dh0: backend.make(isLstm ? half(backend, d, carry, 0) : carry, [B, H], dtype),
  };
  if (isLstm) {
    out.dc0 = backend.make(half(backend, d, carry, H), [B, H], dtype);
    backend.free(carry);
  }
  backend.free(all);
  backend.free(statesBefore);
  return out;
};
