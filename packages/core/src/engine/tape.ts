/**
 * The gradient tape: the gradient table, the record of kernel calls and views made while a
 * tape is open, and reverse-mode differentiation over that record. The engine's last job,
 * kept apart from dispatch and lifetimes.
 */
import { ValueError } from '../errors.js';
import type { GradFunc, GradientTable } from '../gradients/types.js';
import type { KernelName } from '../kernel_names.js';
import { Tensor } from '../tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from './dispatch.js';
import type { TensorLifetimes } from './lifetimes.js';

/** One recorded kernel call. */
interface KernelNode {
  kind: 'kernel';
  kernelName: KernelName;
  inputs: Record<string, Tensor | Tensor[] | undefined>;
  outputs: Record<string, Tensor | undefined>;
  attrs: unknown;
}

/** One recorded view (a reshape): no kernel ran, the gradient is the upstream one reshaped back. */
interface ViewNode {
  kind: 'view';
  inputs: { x: Tensor };
  outputs: { y: Tensor };
}

type TapeNode = KernelNode | ViewNode;

interface Tape {
  nodes: TapeNode[];
  pinned: Tensor[];
}

/** What the tape needs from the engine. */
export interface TapeHost {
  /** The engine's tensor lifetimes (scopes and disposal). */
  readonly lifetimes: TensorLifetimes;
  /** A view of `x` under another shape (recorded on open tapes). */
  view(x: Tensor, shape: Shape): Tensor;
  /** `a + b`, both of one shape. */
  add(a: Tensor, b: Tensor): Tensor;
  /** A new tensor shaped like `x`, on its backend, every element `value`. */
  filledLike(x: Tensor, value: number): Tensor;
}

/** The gradient table and the open tapes. */
export class GradientTapes {
  private readonly gradients = new Map<KernelName, GradFunc<never> | 'none'>();
  private readonly tapes: Tape[] = [];
  private paused = 0;

  constructor(private readonly host: TapeHost) {}

  /** Registers (or overrides) the gradient of a kernel. */
  registerGradient(kernelName: KernelName, gradFunc: GradFunc<never> | 'none'): void {
    this.gradients.set(kernelName, gradFunc);
  }

  /** Registers a gradient entry for every kernel of `table`. */
  registerGradients(table: GradientTable): void {
    for (const [kernelName, gradFunc] of Object.entries(table))
      this.registerGradient(kernelName as KernelName, gradFunc as GradFunc<never> | 'none');
  }

  /** True while a gradient tape is recording kernel calls. */
  isRecording(): boolean {
    return this.tapes.length > 0 && this.paused === 0;
  }

  /** Records a kernel call on every open tape (call only while {@link isRecording}). */
  recordKernel(
    kernelName: KernelName,
    inputs: Record<string, Tensor | Tensor[] | undefined>,
    outputs: Record<string, Tensor | undefined>,
    attrs: unknown,
  ): void {
    this.record({ kind: 'kernel', kernelName, inputs, outputs, attrs });
  }

  /** Records that `y` is a view of `x`, when a tape is recording. */
  recordView(x: Tensor, y: Tensor): void {
    if (this.isRecording()) this.record({ kind: 'view', inputs: { x }, outputs: { y } });
  }

  /** See `Engine.valueAndGrads`. */
  valueAndGrads(
    f: () => Tensor,
    xs: readonly Tensor[],
    dy?: Tensor,
  ): { value: Tensor; grads: Tensor[]; unused: number[] } {
    xs.forEach((x, i) => x.assertAlive(`valueAndGrads: xs[${i}]`));
    const { lifetimes } = this.host;
    const tape: Tape = { nodes: [], pinned: [] };
    lifetimes.startScope();
    this.tapes.push(tape);
    let value: Tensor;
    let grads: Tensor[] = [];
    const unused: number[] = [];
    try {
      try {
        value = f();
      } finally {
        this.tapes.splice(this.tapes.indexOf(tape), 1);
      }
      if (!(value instanceof Tensor)) {
        throw new ValueError(
          `valueAndGrads: the function must return a Tensor, got ${describeValue(value)}`,
        );
      }
      if (dy === undefined && value.size !== 1) {
        throw new ValueError(
          `valueAndGrads: the function must return a scalar when no 'dy' is given, got shape [${value.shape.join(', ')}]`,
        );
      }
      grads = lifetimes.tidy(() => this.backprop(tape, value, xs, dy, unused));
    } finally {
      for (const t of tape.pinned) t.tapePins--;
      for (const t of tape.pinned)
        if (t.disposePending && t.tapePins === 0) lifetimes.disposeTensor(t);
      lifetimes.endScope([value!, ...grads]);
    }
    return { value, grads, unused };
  }

  private record(node: TapeNode): void {
    for (const tape of this.tapes) {
      tape.nodes.push(node);
      for (const value of [...Object.values(node.inputs), ...Object.values(node.outputs)]) {
        if (value === undefined) continue;
        for (const t of Array.isArray(value) ? value : [value]) {
          t.tapePins++;
          tape.pinned.push(t);
        }
      }
    }
  }

  private backprop(
    tape: Tape,
    y: Tensor,
    xs: readonly Tensor[],
    dy: Tensor | undefined,
    unused: number[],
  ): Tensor[] {
    const { nodes, fromX } = relevantNodes(tape.nodes, xs, y);
    const grads = new Map<Tensor, Tensor>();
    grads.set(y, dy ?? this.host.filledLike(y, 1));
    this.paused++;
    try {
      for (let n = nodes.length - 1; n >= 0; n--) {
        const node = nodes[n];
        const dys: Record<string, Tensor | undefined> = {};
        let any = false;
        for (const [name, out] of Object.entries(node.outputs)) {
          const g = out && grads.get(out);
          dys[name] = g;
          any ||= g !== undefined;
        }
        if (!any) continue;
        const inputGrads = this.inputGradients(node, dys, fromX);
        for (const [name, input] of Object.entries(node.inputs)) {
          const g = inputGrads[name];
          if (input === undefined || g === undefined) continue;
          const pairs: [Tensor, Tensor][] = Array.isArray(input)
            ? input.map((t, i) => [t, (g as Tensor[])[i]])
            : [[input, g as Tensor]];
          for (const [t, gi] of pairs) {
            if (gi === undefined || t.dtype === 'int32') continue;
            const prev = grads.get(t);
            grads.set(t, prev ? this.host.add(prev, gi) : gi);
          }
        }
      }
    } finally {
      this.paused--;
    }
    return xs.map((x, i) => {
      const g = grads.get(x);
      if (!g) {
        unused.push(i);
        return this.host.filledLike(x, 0);
      }
      return g.shape.length === x.shape.length && g.shape.every((d, i) => d === x.shape[i])
        ? g
        : this.host.view(g, x.shape);
    });
  }

  /**
   * The gradients of one node's inputs, given those of its outputs; `fromX` holds the tensors
   * that depend on one being differentiated (only their gradients are wanted).
   */
  private inputGradients(
    node: TapeNode,
    dys: Record<string, Tensor | undefined>,
    fromX: ReadonlySet<Tensor>,
  ): Record<string, Tensor | Tensor[] | undefined> {
    if (node.kind === 'view') {
      const dy = dys.y;
      return { x: dy === undefined ? undefined : this.host.view(dy, node.inputs.x.shape) };
    }
    const gradFunc = this.gradients.get(node.kernelName);
    if (gradFunc === undefined)
      throw new ValueError(`no gradient is registered for kernel '${node.kernelName}'`);
    if (gradFunc === 'none')
      throw new ValueError(
        `no gradient is registered for kernel '${node.kernelName}': it is not differentiable (its gradient table entry is 'none')`,
      );
    return (gradFunc as unknown as GradFunc<KernelName>)(
      dys as never,
      {
        inputs: node.inputs,
        outputs: node.outputs,
        attrs: node.attrs,
        needsGradient: (name: string) => reaches(node.inputs[name], fromX),
      } as never,
    ) as Record<string, Tensor | Tensor[] | undefined>;
  }
}

/** Whether an input slot (a tensor, a list of them, or absent) holds a tensor of `set`. */
function reaches(v: Tensor | Tensor[] | undefined, set: ReadonlySet<Tensor>): boolean {
  return v === undefined ? false : Array.isArray(v) ? v.some((t) => set.has(t)) : set.has(v);
}

/**
 * Nodes on some path from one of `xs` to `y`, in recording order, and `fromX`: the tensors
 * that depend on one of `xs` (`xs` included).
 */
function relevantNodes(
  nodes: readonly TapeNode[],
  xs: readonly Tensor[],
  y: Tensor,
): { nodes: TapeNode[]; fromX: Set<Tensor> } {
  const fromX = new Set<Tensor>(xs);
  const forward: boolean[] = nodes.map((node) => {
    const hit = Object.values(node.inputs).some((v) => reaches(v, fromX));
    if (hit) for (const out of Object.values(node.outputs)) if (out) fromX.add(out);
    return hit;
  });
  const toY = new Set<Tensor>([y]);
  const keep: TapeNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!forward[i]) continue;
    if (!Object.values(node.outputs).some((o) => o !== undefined && toY.has(o))) continue;
    keep.push(node);
    for (const v of Object.values(node.inputs)) {
      if (v === undefined) continue;
      for (const t of Array.isArray(v) ? v : [v]) toY.add(t);
    }
  }
  return { nodes: keep.reverse(), fromX };
}
