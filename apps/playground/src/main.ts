/**
 * The page: reads the controls, sends requests to the worker (every computation runs there), and
 * draws what comes back — backend report, live loss curve and samples, sentiment with word
 * contributions, downloads, and the gradient plot.
 */
import type { CellName } from '@rnnkit/char-lm/model';
import { WorkerClient } from './client.js';
import { describeNorms } from './format.js';
import { drawPlot, smooth } from './plot.js';
import type { GradientRequest, NamedFile, TrainEvent } from './protocol.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page lacks #${id}`);
  return element as T;
};
const input = (id: string) => $<HTMLInputElement>(id);
const num = (id: string) => input(id).valueAsNumber;

const losses: number[] = [];
const client = new WorkerClient(onTrainEvent);

/** Shows an error (or clears it). */
function showError(error: unknown): void {
  $('error').textContent = error ? `${(error as Error).name}: ${(error as Error).message}` : '';
}

/** Runs `action` with the controls that start work disabled; errors go to the error line. */
async function guarded(action: () => Promise<void>): Promise<void> {
  showError(undefined);
  try {
    await action();
  } catch (e) {
    showError(e);
  }
}

function drawLoss(): void {
  drawPlot(
    $<HTMLCanvasElement>('loss-plot'),
    [
      { label: 'loss per step', colour: '#9bc', y: losses },
      { label: 'smoothed', colour: '#135', y: smooth(losses) },
    ],
    { xLabel: 'step', yLabel: 'nats/char' },
  );
}

function onTrainEvent(event: TrainEvent): void {
  if (event.event === 'step') {
    losses.push(event.loss);
    $('stat-step').textContent = String(event.step);
    $('stat-loss').textContent = event.loss.toFixed(4);
    $('stat-rate').textContent = Math.round(event.charsPerSecond).toLocaleString('en');
    $('stat-time').textContent = event.seconds.toFixed(1);
    const item = document.createElement('li');
    item.textContent = event.loss.toFixed(6);
    $('loss-log').append(item);
    drawLoss();
  } else {
    $('live-sample').textContent = `step ${event.step}:\n${event.text}`;
  }
}

async function selectBackend(): Promise<void> {
  const name = $<HTMLSelectElement>('backend').value;
  $('backend-status').textContent = `loading ${name}…`;
  document.body.dataset.backend = '';
  try {
    const report = await client.call('backend', { name });
    $('backend-status').textContent = [report.description, ...report.details].join('\n');
    document.body.dataset.backend = name;
  } catch (e) {
    $('backend-status').textContent = `${name} is unavailable here: ${(e as Error).message}`;
    document.body.dataset.backend = `unavailable:${name}`;
  }
}

function setBusy(value: boolean): void {
  for (const id of [
    'train',
    'backend',
    'sample',
    'classify',
    'gradients',
    'load-files',
    'load-folder',
  ])
    ($(id) as HTMLButtonElement).disabled = value;
  ($('stop') as HTMLButtonElement).disabled = !value;
}

async function trainModel(): Promise<void> {
  const pasted =
    (document.querySelector('input[name="text-source"]:checked') as HTMLInputElement).value ===
    'paste';
  const budgetKind = $<HTMLSelectElement>('budget-kind').value;
  losses.length = 0;
  $('loss-log').textContent = '';
  $('train-summary').textContent = 'training…';
  document.body.dataset.training = 'running';
  setBusy(true);
  try {
    const summary = await client.call('train', {
      text: pasted ? $<HTMLTextAreaElement>('text').value : undefined,
      defaultTextUrl: new URL('data/tinyshakespeare.txt', document.baseURI).href,
      cell: $<HTMLSelectElement>('cell').value as CellName,
      layers: num('layers'),
      hidden: num('hidden'),
      embed: num('embed'),
      seq: num('seq'),
      batch: num('batch'),
      lr: num('lr'),
      seed: num('seed'),
      budget: budgetKind === 'steps' ? { steps: num('budget') } : { seconds: num('budget') },
      sampleEvery: 3,
    });
    $('train-summary').textContent =
      `${summary.stopped ? 'stopped' : 'done'}: ${summary.steps} steps in ${summary.seconds.toFixed(1)} s; ` +
      `last ${Math.min(10, summary.steps)} steps' loss ${summary.finalLoss.toFixed(4)}, validation loss ${summary.valLoss.toFixed(4)} nats/char`;
    $('model-status').textContent = summary.model.summary;
    ($('save') as HTMLButtonElement).disabled = false;
  } finally {
    document.body.dataset.training = 'done';
    setBusy(false);
  }
}

async function sampleModel(): Promise<void> {
  const topK = num('top-k');
  const topP = num('top-p');
  $('sample-output').textContent = '…';
  const { text } = await client.call('sample', {
    prime: input('prime').value,
    length: num('length'),
    temperature: num('temperature'),
    topK: topK > 0 ? topK : undefined,
    topP: topP < 1 ? topP : undefined,
    seed: num('sample-seed'),
  });
  $('sample-output').textContent = input('prime').value + text;
}

async function saveModel(): Promise<void> {
  const { name, bytes } = await client.call('save', {});
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/x-tar' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function loadModel(list: FileList | null): Promise<void> {
  if (!list || list.length === 0) return;
  const files: NamedFile[] = await Promise.all(
    [...list].map(async (f) => ({
      name: f.webkitRelativePath || f.name,
      bytes: new Uint8Array(await f.arrayBuffer()),
    })),
  );
  const loaded = await client.call('load', { files });
  if (loaded.kind === 'sentiment') {
    $('sentiment-model').textContent = loaded.summary;
  } else {
    $('model-status').textContent = loaded.summary;
    ($('save') as HTMLButtonElement).disabled = false;
  }
}

async function classifySentence(): Promise<void> {
  const result = await client.call('classify', { text: input('sentence').value });
  const target = $('sentiment-result');
  target.textContent = '';
  for (const [label, p] of Object.entries(result.probabilities)) {
    const row = document.createElement('div');
    row.className = 'probability';
    row.dataset.label = label;
    row.innerHTML = `<span class="bar"><span style="width:${(100 * p).toFixed(1)}%"></span></span> `;
    row.append(`P(${label}) = ${p.toFixed(4)}${label === result.label ? ' ← predicted' : ''}`);
    target.append(row);
  }
  const scale = Math.max(1e-6, ...result.words.map((w) => Math.abs(w.contribution)));
  const words = $('sentiment-words');
  words.textContent = '';
  for (const w of result.words) {
    const span = document.createElement('span');
    span.textContent = w.token;
    span.dataset.contribution = w.contribution.toFixed(6);
    span.title = `${w.contribution >= 0 ? '+' : ''}${w.contribution.toFixed(4)}${w.known ? '' : ' (unknown word)'}`;
    const alpha = (0.15 + 0.6 * (Math.abs(w.contribution) / scale)).toFixed(2);
    span.style.background =
      w.contribution >= 0 ? `rgba(40,160,80,${alpha})` : `rgba(210,50,50,${alpha})`;
    if (!w.known) span.classList.add('unknown');
    words.append(span, ' ');
  }
}

async function recomputeGradients(): Promise<void> {
  const request: GradientRequest = {
    cell: $<HTMLSelectElement>('gradient-cell').value as GradientRequest['cell'],
    steps: num('gradient-steps'),
    hidden: num('gradient-hidden'),
    seed: 1,
  };
  $('gradient-summary').textContent = 'computing…';
  const { norms } = await client.call('gradients', request);
  drawPlot(
    $<HTMLCanvasElement>('gradient-plot'),
    [{ label: `${request.cell}, H = ${request.hidden}`, colour: '#a33', y: norms }],
    { xLabel: 't (step of the input)', yLabel: '‖∂h_T/∂x_t‖', logY: true },
  );
  $('gradient-summary').textContent = describeNorms(request.cell, norms);
}

/** Frames drawn per second: stays near the display rate while the worker trains. */
function heartbeat(): void {
  let frames = 0;
  const tick = () => {
    frames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  setInterval(() => {
    $('heartbeat').textContent = `page: ${frames} fps`;
    frames = 0;
  }, 1000);
}

const cellOfTraining: Record<string, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'SimpleRNN' };
$('cell').addEventListener('change', () => {
  $<HTMLSelectElement>('gradient-cell').value = cellOfTraining[$<HTMLSelectElement>('cell').value];
});
$('backend').addEventListener('change', () => guarded(selectBackend));
$('train').addEventListener('click', () => guarded(trainModel));
$('stop').addEventListener('click', () =>
  guarded(async () => void (await client.call('stop', {}))),
);
$('sample').addEventListener('click', () => guarded(sampleModel));
$('save').addEventListener('click', () => guarded(saveModel));
$('classify').addEventListener('click', () => guarded(classifySentence));
$('gradients').addEventListener('click', () => guarded(recomputeGradients));
for (const id of ['load-files', 'load-folder'])
  input(id).addEventListener('change', () =>
    guarded(async () => {
      await loadModel(input(id).files);
      input(id).value = '';
    }),
  );
input('text').addEventListener('focus', () => {
  (document.querySelector('input[name="text-source"][value="paste"]') as HTMLInputElement).checked =
    true;
});

heartbeat();
drawLoss();
void guarded(async () => {
  await selectBackend();
  const loaded = await client.call('defaultSentiment', {
    baseUrl: new URL('models/sentiment/', document.baseURI).href,
  });
  $('sentiment-model').textContent = loaded.summary;
  document.body.dataset.ready = 'true';
});
