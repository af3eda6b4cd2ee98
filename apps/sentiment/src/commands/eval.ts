// `eval`: accuracy, confusion matrix and precision/recall/F1 of a saved model on labelled data.
import { loadDataset } from '../data.js';
import { InputError } from '../errors.js';
import { encodingFlag, type Values } from '../flags.js';
import type { Console } from '../io.js';
import { evalReport, formatReport } from '../metrics.js';
import { tokenizeAll } from '../pipeline.js';
import { probabilities } from '../predict.js';
import { loadModelDirectory } from '../store.js';
import { argmax } from '../train.js';

/** Runs `eval`; returns the exit code. */
export async function evalCommand(v: Values, io: Console, dataPaths: string[]): Promise<number> {
  if (!v.model) throw new InputError('eval: --model DIR is required');
  const saved = await loadModelDirectory(v.model);
  try {
    const data = loadDataset(dataPaths, encodingFlag(v));
    const unknown = data.labels.filter((l) => !saved.meta.labels.includes(l));
    if (unknown.length > 0)
      throw new InputError(
        `--data: labels ${unknown.map((l) => `'${l}'`).join(', ')} are not among the model's labels (${saved.meta.labels.join(', ')}); the data and the model do not match`,
      );
    const truth = data.y.map((c) => saved.meta.labels.indexOf(data.labels[c]));
    const ids = tokenizeAll(data.texts).map((t) => saved.vocab.encode(t));
    const probs = probabilities(saved, ids);
    const pred = probs.map(argmax);
    const loss =
      -probs.reduce((s, p, i) => s + Math.log(Math.max(p[truth[i]], 1e-12)), 0) / probs.length;
    const report = evalReport(saved.meta.labels, truth, pred, loss);
    io.out(v.json ? JSON.stringify(report) : formatReport(report));
  } finally {
    saved.model.dispose();
  }
  return 0;
}
