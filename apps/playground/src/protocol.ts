/** The messages between the page and its worker: requests answered one to one, and events the worker sends while it trains. */
import type { CellName } from '@rnnkit/char-lm/model';

/** What the page asked the worker for, by method name: arguments and result. */
export interface Methods {
  /** Loads a backend; returns what the page shows about it. */
  backend: { args: { name: string }; result: BackendReport };
  /** Trains a fresh char model; resolves when the budget is spent or `stop` was called. */
  train: { args: TrainRequest; result: TrainSummary };
  /** Ends a running training after its current step. */
  stop: { args: Record<string, never>; result: null };
  /** Generates text with the current char model. */
  sample: { args: SampleRequest; result: { text: string } };
  /** The current char model as a tar of a char-lm checkpoint directory. */
  save: { args: Record<string, never>; result: { name: string; bytes: Uint8Array } };
  /** Loads a char-lm checkpoint or a sentiment model from files (or one tar of them). */
  load: { args: { files: NamedFile[] }; result: LoadedModel };
  /** Loads the sentiment model shipped with the page. */
  defaultSentiment: { args: { baseUrl: string }; result: LoadedModel };
  /** Probability and each word's contribution. */
  classify: { args: { text: string }; result: Classification };
  /** ‖∂h_T/∂x_t‖ for t = 1…T of a fresh cell. */
  gradients: { args: GradientRequest; result: { norms: number[] } };
}

/** A method name. */
export type Method = keyof Methods;

/** A request from the page. */
export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  args: Methods[M]['args'];
}

/** The worker's answer to request `id`. */
export type Response =
  | { id: number; result: unknown }
  | { id: number; error: { name: string; message: string } };

/** What the worker reports while training. */
export type TrainEvent =
  | {
      event: 'step';
      step: number;
      loss: number;
      charsPerSecond: number;
      seconds: number;
      lr: number;
    }
  | { event: 'sample'; step: number; text: string };

/** A file the user picked, read into memory. */
export interface NamedFile {
  /** Its path as the browser gives it (`best/checkpoint.json` when a folder was picked). */
  name: string;
  bytes: Uint8Array;
}

/** What a backend really runs on. */
export interface BackendReport {
  name: string;
  /** The backend's own `describe()`. */
  description: string;
  /** Capability lines (SIMD, threads, WebGL version, float textures, …). */
  details: string[];
}

/** A training run the page starts. */
export interface TrainRequest {
  /** The text: pasted, or undefined for the shipped Tiny Shakespeare at `defaultTextUrl`. */
  text?: string;
  defaultTextUrl: string;
  cell: CellName;
  layers: number;
  hidden: number;
  embed: number;
  seq: number;
  batch: number;
  lr: number;
  seed: number;
  /** Wall-time budget in seconds, or a number of steps. */
  budget: { seconds: number } | { steps: number };
  /** Seconds between live samples (0: none). */
  sampleEvery: number;
}

/** How training ended. */
export interface TrainSummary {
  steps: number;
  seconds: number;
  /** Mean loss of the last steps (nats/char). */
  finalLoss: number;
  /** Loss on (up to 8192 characters of) the held-out 10 %, nats/char. */
  valLoss: number;
  stopped: boolean;
  model: LoadedModel;
}

/** Sampling settings; `topK`/`topP` are off when absent. */
export interface SampleRequest {
  prime: string;
  length: number;
  temperature: number;
  topK?: number;
  topP?: number;
  seed: number;
}

/** A model the worker now holds. */
export interface LoadedModel {
  kind: 'char-lm' | 'sentiment';
  /** One line: architecture, vocabulary, where it came from. */
  summary: string;
}

/** A sentence's probability per label, and each word's contribution to the predicted one. */
export interface Classification {
  label: string;
  probabilities: Record<string, number>;
  words: { token: string; known: boolean; contribution: number }[];
}

/** Which cell's Jacobian norms to measure. */
export interface GradientRequest {
  cell: 'SimpleRNN' | 'LSTM' | 'GRU';
  steps: number;
  hidden: number;
  seed: number;
}
