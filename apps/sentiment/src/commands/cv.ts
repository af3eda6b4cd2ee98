// `cv`: stratified k-fold cross-validation, one line per fold, mean ± sd, JSON and SVG results.
import { lossCurveSvg } from '@rnnkit/nn';
import { loadDataset } from '../data.js';
import { InputError } from '../errors.js';
import { encodingFlag, intFlag, modelFlags, type Values } from '../flags.js';
import { stratifiedFolds } from '../folds.js';
import { type Console, writeResult } from '../io.js';
import { evalReport, meanStd } from '../metrics.js';
import { encodeRows, tokenizeAll, trainOnRows } from '../pipeline.js';
import { probabilities } from '../predict.js';
import { argmax } from '../train.js';

/** One fold's result. */
export interface FoldResult {
  fold: number;
  accuracy: number;
  macroF1: number;
  testSentences: number;
  bestEpoch: number;
  epochsRun: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process (what the fold costs on an idle core; on a shared machine the wall clock also counts waiting). */
  cpuSeconds: number;
}

function parseRunFolds(raw: string | undefined, k: number): number[] {
  if (raw === undefined) return Array.from({ length: k }, (_, i) => i);
  const folds = raw.split(',').map((s) => Number(s.trim()));
  if (folds.some((f) => !Number.isInteger(f) || f < 1 || f > k))
    throw new InputError(
      `--run-folds must list fold numbers in [1, ${k}] separated by commas, got '${raw}'`,
    );
  return [...new Set(folds)].map((f) => f - 1);
}

/** Runs `cv`; returns the exit code. */
export async function cvCommand(
  v: Values,
  io: Console,
  dataPaths: string[],
  backend: string,
): Promise<number> {
  const flags = modelFlags(v);
  const k = intFlag(v, 'folds', 10, 2, 1000);
  const runFolds = parseRunFolds(v['run-folds'], k);
  const out = v.out ?? 'cv.json';
  if (!out.endsWith('.json'))
    throw new InputError(`--out for cv names the JSON file to write (….json), got '${out}'`);
  const data = loadDataset(dataPaths, encodingFlag(v));
  const tokens = tokenizeAll(data.texts);
  const fold = stratifiedFolds(data.y, k, flags.seed);
  io.info(
    `${k}-fold stratified cross-validation on ${data.texts.length} sentences (labels ${data.labels.join(', ')}), folds by seed ${flags.seed}, backend ${backend}`,
  );
  const results: FoldResult[] = [];
  for (const f of runFolds) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const trainRows = fold.flatMap((g, i) => (g !== f ? [i] : []));
    const testRows = fold.flatMap((g, i) => (g === f ? [i] : []));
    const trained = await trainOnRows(data, tokens, trainRows, flags, io.pipeline);
    let report: ReturnType<typeof evalReport>;
    try {
      const test = encodeRows(tokens, data.y, testRows, trained.saved.vocab);
      const probs = probabilities(trained.saved, test.ids);
      const loss =
        -probs.reduce((s, p, i) => s + Math.log(Math.max(p[test.y[i]], 1e-12)), 0) / probs.length;
      report = evalReport(data.labels, test.y, probs.map(argmax), loss);
    } finally {
      trained.saved.model.dispose();
    }
    const r: FoldResult = {
      fold: f + 1,
      accuracy: report.accuracy,
      macroF1: report.macroF1,
      testSentences: testRows.length,
      bestEpoch: trained.result.bestEpoch + 1,
      epochsRun: trained.result.epochsRun,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSecondsSince(cpuStart),
    };
    results.push(r);
    io.out(
      `fold ${String(r.fold).padStart(String(k).length)}/${k}: accuracy ${(100 * r.accuracy).toFixed(2)} % (${Math.round(r.accuracy * r.testSentences)}/${r.testSentences}), best epoch ${r.bestEpoch}/${r.epochsRun}, ${r.seconds.toFixed(0)} s (${r.cpuSeconds.toFixed(0)} s of CPU)`,
    );
    await writeCv(out, k, flags, backend, results, data.texts.length);
  }
  const acc = meanStd(results.map((r) => r.accuracy * 100));
  io.out(
    `mean accuracy ${acc.mean.toFixed(2)} ± ${acc.std.toFixed(2)} % over ${results.length} of ${k} folds (sd over folds); results in ${out}`,
  );
  return 0;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

async function writeCv(
  out: string,
  k: number,
  flags: ReturnType<typeof modelFlags>,
  backend: string,
  folds: FoldResult[],
  sentences: number,
): Promise<void> {
  const acc = meanStd(folds.map((r) => r.accuracy * 100));
  const json = {
    folds: k,
    foldsRun: folds.length,
    sentences,
    backend,
    flags,
    meanAccuracy: acc.mean,
    stdAccuracy: acc.std,
    meanMacroF1: meanStd(folds.map((r) => r.macroF1)).mean,
    meanSecondsPerFold: meanStd(folds.map((r) => r.seconds)).mean,
    meanCpuSecondsPerFold: meanStd(folds.map((r) => r.cpuSeconds)).mean,
    perFold: folds,
    date: new Date().toISOString(),
  };
  await writeResult(out, `${JSON.stringify(json, null, 2)}\n`);
  await writeResult(
    out.replace(/\.json$/, '.svg'),
    lossCurveSvg(
      { accuracy: folds.map((r) => 100 * r.accuracy), mean: folds.map(() => acc.mean) },
      {
        title: `${k}-fold cross-validation accuracy (%): ${acc.mean.toFixed(2)} ± ${acc.std.toFixed(2)}`,
        xLabel: 'fold',
      },
    ),
  );
}
