// The command line: flags parsed with node:util, dispatched to the commands; errors become messages.
import { parseArgs } from 'node:util';
import { RnnkitError } from '@rnnkit/core';
import { useBackend } from './backend.js';
import { cvCommand } from './commands/cv.js';
import { evalCommand } from './commands/eval.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';
import { DEFAULT_DATA } from './data.js';
import { InputError } from './errors.js';
import { backendFlag, OPTIONS, type Values } from './flags.js';
import { processConsole } from './io.js';
import { DEFAULT_FLAGS as D } from './pipeline.js';

/** The `--help` text. */
export const HELP = `rnnkit-sentiment: sentence sentiment classification with rnnkit

usage:
  rnnkit-sentiment train   [--data PATH…] [model flags] [--out DIR]
  rnnkit-sentiment eval    --model DIR [--data PATH…] [--json]
  rnnkit-sentiment predict --model DIR [--explain] [--json] "text" …   (or one sentence per line on stdin)
  rnnkit-sentiment cv      [--folds 10] [--run-folds 1,2] [--data PATH…] [model flags] [--out cv.json]

data (default: the Movie Review polarity data shipped with the app, 5,331 + 5,331 sentences):
  --data PATH        a TSV file (label<TAB>text per line, any label names), a directory with one
                     file per class, or --data repeated once per class file (one sentence a line)
  --encoding E       auto (UTF-8, else Latin-1; default) | utf8 | latin1

model flags:
  --cell lstm|gru    recurrent cell (default ${D.cell})
  --layers N         stacked recurrent layers (default ${D.layers})
  --hidden N         hidden units per direction (default ${D.hidden})
  --embed N          embedding size (default ${D.embed}; taken from --embeddings when given)
  --bidirectional / --unidirectional   read both directions or forward only (default bidirectional)
  --pool last|max|mean   sentence vector: last state or pooling over the words (default ${D.pool})
  --dropout P        dropout on embeddings, between layers and before the output (default ${D.dropout})
  --word-dropout P   replace training words by <unk> with probability P (default ${D.wordDropout})
  --epochs N         most epochs (default ${D.epochs}); early stopping on validation loss,
  --patience N       after N epochs without improvement (default ${D.patience}); best weights kept
  --batch-size N     (default ${D.batchSize})   --lr X  Adam learning rate (default ${D.lr})
  --seed S           initialisation, batch order, validation split and cv folds (default ${D.seed})
  --min-count N      vocabulary: words seen at least N times (default ${D.minCount})
  --max-vocab N      vocabulary: at most N tokens (default unlimited)
  --val-fraction F   training sentences held out for early stopping (default ${D.valFraction})
  --embeddings FILE  initialise the embedding from word vectors (GloVe / word2vec text format)
  --pretrain         first train a word language model (forward and, if bidirectional, backward)
                     on the training sentences; its embedding and first layer start the classifier
  --pretrain-epochs N (default ${D.pretrainEpochs})
  --pretrain-negatives K   wrong words sampled against the right next word (default ${D.pretrainNegatives})

other:
  --backend cpu|wasm|gpujs   compute backend (default wasm, the fastest on a CPU)
  --out              train: model directory (default sentiment-model); cv: JSON file (default cv.json)
  --json             machine-readable output   --quiet, -q  no progress   --help, -h  this text

Progress goes to stderr (a bar on a terminal), results to stdout. Ctrl-C leaves no half-written file.
`;

/** Runs the command line `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }) as {
      values: Values;
      positionals: string[];
    });
  } catch (e) {
    process.stderr.write(`rnnkit-sentiment: ${(e as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  const io = processConsole(values.quiet ?? false);
  try {
    if (!['train', 'eval', 'predict', 'cv'].includes(command))
      throw new InputError(`unknown command '${command}'; expected train, eval, predict or cv`);
    if (command !== 'predict' && rest.length > 0)
      throw new InputError(`${command} takes no positional arguments, got '${rest.join(' ')}'`);
    const backend = await useBackend(backendFlag(values));
    io.info(`backend: ${backend}`);
    const data = values.data ?? [DEFAULT_DATA];
    switch (command) {
      case 'train':
        return await trainCommand(values, io, data);
      case 'eval':
        return await evalCommand(values, io, data);
      case 'predict':
        return await predictCommand(values, io, rest);
      default:
        return await cvCommand(values, io, data, backend);
    }
  } catch (e) {
    if (e instanceof RnnkitError) {
      process.stderr.write(`rnnkit-sentiment ${command}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
