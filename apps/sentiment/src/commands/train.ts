// `train`: fits a classifier on the data and writes the model directory with training.svg.
import path from 'node:path';
import { lossCurveSvg } from '@rnnkit/nn';
import { loadDataset } from '../data.js';
import { encodingFlag, modelFlags, type Values } from '../flags.js';
import { type Console, guardWrite, writeResult } from '../io.js';
import { tokenizeAll, trainOnRows } from '../pipeline.js';
import { saveModelDirectory } from '../store.js';

/** Runs `train`; returns the exit code. */
export async function trainCommand(v: Values, io: Console, dataPaths: string[]): Promise<number> {
  const flags = modelFlags(v);
  const out = v.out ?? 'sentiment-model';
  const data = loadDataset(dataPaths, encodingFlag(v));
  io.info(`data: ${data.texts.length} sentences, labels ${data.labels.join(', ')}`);
  const tokens = tokenizeAll(data.texts);
  const rows = data.texts.map((_, i) => i);
  const trained = await trainOnRows(data, tokens, rows, flags, io.pipeline);
  const h = trained.result.history.history;
  const best = trained.result.bestEpoch;
  try {
    await guardWrite(() => saveModelDirectory(out, trained.saved));
    await writeResult(
      path.join(out, 'training.svg'),
      lossCurveSvg(
        { loss: h.loss, val_loss: h.val_loss, acc: h.acc, val_acc: h.val_acc },
        {
          title: `sentiment: ${flags.bidirectional ? 'bi' : ''}${flags.cell.toUpperCase()} ${flags.hidden}, ${flags.pool} pooling`,
        },
      ),
    );
  } finally {
    trained.saved.model.dispose();
  }
  const summary = {
    model: out,
    bestEpoch: best + 1,
    epochsRun: trained.result.epochsRun,
    val_loss: h.val_loss[best],
    val_acc: h.val_acc[best],
    ...trained.notes,
  };
  if (v.json) io.out(JSON.stringify(summary));
  else
    io.out(
      `saved ${out} (best epoch ${best + 1} of ${trained.result.epochsRun}: validation accuracy ${(100 * h.val_acc[best]).toFixed(2)} %, loss ${h.val_loss[best].toFixed(4)}); curves in ${path.join(out, 'training.svg')}`,
    );
  return 0;
}
