/**
 * Which engine runs which workload, and whether the optional engines (ONNX Runtime, PyTorch)
 * are installed on this machine: the CLI skips an absent one with the reason.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { EngineName, Workload } from '../workloads.js';

/** Engines that are used only when present. */
export const OPTIONAL_ENGINES: readonly EngineName[] = ['onnxruntime', 'pytorch'];

/**
 * True when `engine` (on `backend`, when given) runs `w`: a workload restricted to some targets
 * (`w.only`) on those only; otherwise ONNX Runtime LSTM inference only, PyTorch every rnn
 * workload.
 */
export function engineSupports(engine: EngineName, w: Workload, backend?: string): boolean {
  if (w.only)
    return engine === w.only.engine && (backend === undefined || w.only.backends.includes(backend));
  if (engine === 'onnxruntime') return w.kind === 'rnn' && w.cell === 'LSTM' && !w.training;
  if (engine === 'pytorch') return w.kind === 'rnn';
  return true;
}

/** Environment variable naming the Python interpreter to use for the PyTorch engine. */
export const PYTHON_ENV = 'RNNKIT_BENCH_PYTHON';

/**
 * The first Python that imports torch, from `$RNNKIT_BENCH_PYTHON`, `python3`, then Debian's
 * `/usr/bin/python3` (where `python3-torch` installs when another `python3` comes first on the
 * PATH), with torch's version; or why none does.
 */
export function findTorchPython(
  env: NodeJS.ProcessEnv = process.env,
): { python: string; torch: string } | { missing: string } {
  const candidates = env[PYTHON_ENV] ? [env[PYTHON_ENV]] : ['python3', '/usr/bin/python3'];
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status === 0 && r.stdout.trim()) return { python, torch: r.stdout.trim() };
    const why = r.error
      ? 'not found'
      : (r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`).slice(0, 120);
    tried.push(`${python}: ${why}`);
  }
  return {
    missing: `no Python with torch (${tried.join('; ')}); on Debian: apt-get install python3-torch, or set ${PYTHON_ENV}`,
  };
}

/** Why an optional engine cannot run here, or undefined when it can. */
export function probeEngine(engine: EngineName): string | undefined {
  if (engine === 'onnxruntime') {
    try {
      createRequire(import.meta.url).resolve('onnxruntime-node');
      return undefined;
    } catch {
      return 'onnxruntime-node is not installed (ONNXRUNTIME_NODE_INSTALL=skip pnpm install)';
    }
  }
  if (engine === 'pytorch') {
    const found = findTorchPython();
    if ('missing' in found) return found.missing;
    // The children use the interpreter found here.
    process.env[PYTHON_ENV] = found.python;
    return undefined;
  }
  return undefined;
}
