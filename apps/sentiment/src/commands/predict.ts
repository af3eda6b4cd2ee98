// `predict`: labels for a sentence given as an argument, or for each line of stdin.
import { InputError } from '../errors.js';
import type { Values } from '../flags.js';
import type { Console } from '../io.js';
import { colourExplanation, explain, type Prediction, predictTexts } from '../predict.js';
import { loadModelDirectory, type SavedModel } from '../store.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs `predict`; returns the exit code (1 when some stdin line could not be read). */
export async function predictCommand(v: Values, io: Console, texts: string[]): Promise<number> {
  if (!v.model) throw new InputError('predict: --model DIR is required');
  let lines: { text: string; where: string }[];
  if (texts.length > 0) {
    lines = texts.map((text, i) => ({ text, where: `argument ${i + 1}` }));
  } else {
    if (process.stdin.isTTY)
      throw new InputError(
        'predict: give a sentence as an argument, or one sentence per line on stdin',
      );
    const all = (await readStdin()).split(/\r\n|\n|\r/);
    if (all.at(-1) === '') all.pop();
    lines = all.map((text, i) => ({ text, where: `stdin line ${i + 1}` }));
  }
  const saved = await loadModelDirectory(v.model);
  let failed = 0;
  try {
    const good: { text: string; where: string }[] = [];
    for (const l of lines) {
      if (l.text.trim() === '') {
        failed++;
        report(io, v, {
          where: l.where,
          error: 'the text is empty; give a sentence with at least one word',
        });
      } else good.push(l);
    }
    const preds = predictTexts(
      saved,
      good.map((l) => l.text),
      (i) => good[i].where,
    );
    preds.forEach((p, i) => show(io, v, saved, p, good[i].where));
  } finally {
    saved.model.dispose();
  }
  return failed > 0 ? 1 : 0;
}

function report(io: Console, v: Values, e: { where: string; error: string }): void {
  if (v.json) io.out(JSON.stringify(e));
  else process.stderr.write(`${e.where}: ${e.error}\n`);
}

function show(io: Console, v: Values, saved: SavedModel, p: Prediction, where: string): void {
  const note =
    p.unknown === p.tokens.length
      ? `all ${p.tokens.length} words are unknown to the model: the prediction reflects only its bias`
      : undefined;
  const contributions = v.explain ? explain(saved, p) : undefined;
  if (v.json) {
    io.out(
      JSON.stringify({
        text: p.text,
        label: p.label,
        probabilities: p.probabilities,
        unknownWords: p.unknown,
        ...(note ? { warning: note } : {}),
        ...(contributions ? { contributions } : {}),
      }),
    );
    return;
  }
  if (note) process.stderr.write(`${where}: ${note}\n`);
  io.out(`${p.label}\t${p.probabilities[p.label].toFixed(4)}\t${p.text}`);
  if (contributions) {
    if (process.stdout.isTTY) io.out(`  ${colourExplanation(contributions)}`);
    const ranked = [...contributions].sort(
      (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution),
    );
    io.out(
      `  ${ranked
        .slice(0, 10)
        .map(
          (c) =>
            `${c.token}${c.known ? '' : '(unknown)'} ${c.contribution >= 0 ? '+' : ''}${c.contribution.toFixed(3)}`,
        )
        .join('  ')}`,
    );
  }
}
