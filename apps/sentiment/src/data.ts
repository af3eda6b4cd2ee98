// Labelled sentences from disk: TSV (`label<TAB>text`) or one file per class, UTF-8 or Latin-1.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './errors.js';

/** A text encoding the loader accepts. */
export const ENCODINGS = ['auto', 'utf8', 'latin1'] as const;
/** `auto`: UTF-8 when the bytes are valid UTF-8, else Latin-1. */
export type Encoding = (typeof ENCODINGS)[number];

/** Sentences with integer labels and the label names (sorted; label `i` is `labels[i]`). */
export interface Dataset {
  /** The label names, sorted. */
  labels: string[];
  /** The sentences' texts. */
  texts: string[];
  /** Each text's label index into `labels`. */
  y: number[];
}

/** The Movie Review polarity data shipped with the app (`data/rt-polarity.{neg,pos}`). */
export const DEFAULT_DATA = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'data',
);

/** Decodes `bytes`: strict UTF-8 (a BOM dropped), or Latin-1 when `auto` finds invalid UTF-8. */
export function decodeText(bytes: Uint8Array, encoding: Encoding, source: string): string {
  if (encoding === 'latin1') return new TextDecoder('latin1').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (encoding === 'utf8')
      throw new InputError(
        `${source}: not valid UTF-8; pass --encoding latin1 (or auto) for Latin-1 files`,
      );
    return new TextDecoder('latin1').decode(bytes);
  }
}

function readText(file: string, encoding: Encoding): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(`--data: cannot read '${file}': ${(e as Error).message}`);
  }
  return decodeText(bytes, encoding, file);
}

function lines(text: string): string[] {
  const out = text.split(/\r\n|\n|\r/);
  if (out.at(-1) === '') out.pop();
  return out;
}

/**
 * Parses TSV: one `label<TAB>text` per line; blank lines are skipped. A line without a tab, or
 * with an empty label or text, is an {@link InputError} naming the file and the line number.
 */
export function parseTsv(text: string, source: string): { label: string; text: string }[] {
  const rows: { label: string; text: string }[] = [];
  lines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    const label = tab < 0 ? '' : line.slice(0, tab).trim();
    const body = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (tab < 0 || label === '' || body === '') {
      const what = tab < 0 ? 'no tab' : label === '' ? 'an empty label' : 'an empty text';
      throw new InputError(
        `${source}:${i + 1}: malformed row (${what}); expected 'label<TAB>text', got '${line.slice(0, 60)}'`,
      );
    }
    rows.push({ label, text: body });
  });
  return rows;
}

/**
 * Label names of one-file-per-class files: the extensions when only they differ
 * (`rt-polarity.neg`, `rt-polarity.pos` → `neg`, `pos`), else the names without extension
 * (`positive.txt` → `positive`), else the whole file names.
 */
export function classNames(files: readonly string[]): string[] {
  const names = files.map((f) => path.basename(f));
  const dot = (n: string) => (n.lastIndexOf('.') > 0 ? n.lastIndexOf('.') : n.length);
  const stems = names.map((n) => n.slice(0, dot(n)));
  const exts = names.map((n) => n.slice(dot(n) + 1));
  const distinct = (xs: string[]) => xs.every((x) => x !== '') && new Set(xs).size === xs.length;
  if (new Set(stems).size === 1 && distinct(exts)) return exts;
  if (distinct(stems)) return stems;
  return names;
}

function fromRows(rows: { label: string; text: string }[]): Dataset {
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  return { labels, texts: rows.map((r) => r.text), y: rows.map((r) => index.get(r.label)!) };
}

/**
 * Loads `paths`: one TSV file, a directory holding one text file per class (every regular,
 * non-hidden file in it), or several files, one per class (one sentence a line; blank lines
 * skipped). Checks there are at least two classes.
 */
export function loadDataset(paths: readonly string[], encoding: Encoding = 'auto'): Dataset {
  if (paths.length === 0) throw new InputError('--data: give a TSV file, a directory or files');
  let files = [...paths];
  if (paths.length === 1) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(paths[0]);
    } catch {
      throw new InputError(`--data: '${paths[0]}' does not exist`);
    }
    if (st.isDirectory()) {
      files = readdirSync(paths[0])
        .filter((f) => !f.startsWith('.'))
        .map((f) => path.join(paths[0], f))
        .filter((f) => statSync(f).isFile())
        .sort();
      if (files.length === 0)
        throw new InputError(`--data: directory '${paths[0]}' holds no files`);
    }
  }
  let data: Dataset;
  if (files.length === 1) {
    data = fromRows(parseTsv(readText(files[0], encoding), files[0]));
  } else {
    const names = classNames(files);
    const rows: { label: string; text: string }[] = [];
    files.forEach((f, k) => {
      for (const line of lines(readText(f, encoding)))
        if (line.trim() !== '') rows.push({ label: names[k], text: line.trim() });
    });
    data = fromRows(rows);
  }
  if (data.labels.length < 2) {
    throw new InputError(
      `--data: a classifier needs at least two classes; '${paths.join(', ')}' holds ${data.labels.length === 0 ? 'no sentences' : `only class '${data.labels[0]}'`}`,
    );
  }
  return data;
}
