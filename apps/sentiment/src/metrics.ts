// Classification results: accuracy, confusion matrix, per-class precision/recall/F1, mean ± sd.

/** Per-class precision, recall, F1 and support. */
export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of sentences of this class. */
  support: number;
}

/** Everything `eval` reports. */
export interface EvalReport {
  /** Number of sentences. */
  n: number;
  /** Fraction predicted correctly. */
  accuracy: number;
  /** Mean cross-entropy (nats). */
  loss: number;
  /** Label names (rows and columns of the matrix). */
  labels: string[];
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
  /** Per-class scores. */
  perClass: ClassScores[];
  /** Unweighted mean F1 over the classes. */
  macroF1: number;
}

/**
 * The report of predictions `pred` against `truth` (class indices into `labels`). A class
 * never predicted has precision 0 (and F1 0), as scikit-learn reports it.
 */
export function evalReport(
  labels: readonly string[],
  truth: readonly number[],
  pred: readonly number[],
  loss: number,
): EvalReport {
  const C = labels.length;
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  truth.forEach((t, i) => confusion[t][pred[i]]++);
  const perClass = labels.map((label, c) => {
    const tp = confusion[c][c];
    const predicted = confusion.reduce((s, row) => s + row[c], 0);
    const support = confusion[c].reduce((s, v) => s + v, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const correct = labels.reduce((s, _, c) => s + confusion[c][c], 0);
  return {
    n: truth.length,
    accuracy: truth.length > 0 ? correct / truth.length : 0,
    loss,
    labels: [...labels],
    confusion,
    perClass,
    macroF1: perClass.reduce((s, c) => s + c.f1, 0) / C,
  };
}

/** The report as aligned text: accuracy, the confusion matrix, and the per-class table. */
export function formatReport(r: EvalReport): string {
  const w = Math.max(11, ...r.labels.map((l) => l.length + 2));
  const cell = (s: string | number) => String(s).padStart(w);
  const lines = [
    `accuracy ${(100 * r.accuracy).toFixed(2)} % (${Math.round(r.accuracy * r.n)} of ${r.n}), loss ${r.loss.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)}`,
    '',
    'confusion matrix (rows: true label, columns: predicted)',
    `${''.padStart(w)}${r.labels.map(cell).join('')}`,
    ...r.confusion.map((row, i) => `${r.labels[i].padStart(w)}${row.map(cell).join('')}`),
    '',
    `${'label'.padStart(w)}${['precision', 'recall', 'f1', 'support'].map(cell).join('')}`,
    ...r.perClass.map(
      (c) =>
        `${c.label.padStart(w)}${[c.precision.toFixed(4), c.recall.toFixed(4), c.f1.toFixed(4), c.support].map(cell).join('')}`,
    ),
  ];
  return lines.join('\n');
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std };
}
