// The model download's archive format, checked against the system's own tar both ways.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTar, packTar, unpackTar } from '../src/tar.js';

const files = [
  { name: 'char-lm-model/checkpoint.json', bytes: new TextEncoder().encode('{"a":1}\n') },
  {
    name: 'char-lm-model/model-x.rnnkit',
    bytes: Uint8Array.from({ length: 1500 }, (_, i) => i % 251),
  },
  { name: 'char-lm-model/empty', bytes: new Uint8Array(0) },
];

describe('tar', () => {
  it('round-trips files, and GNU tar extracts exactly them', () => {
    const archive = packTar(files, 1_700_000_000);
    expect(isTar(archive)).toBe(true);
    expect(unpackTar(archive, 'x.tar')).toEqual(files);
    const dir = mkdtempSync(join(tmpdir(), 'playground-tar-'));
    writeFileSync(join(dir, 'm.tar'), archive);
    execFileSync('tar', ['xf', 'm.tar'], { cwd: dir });
    for (const f of files) expect(new Uint8Array(readFileSync(join(dir, f.name)))).toEqual(f.bytes);
  });

  it('reads an archive GNU tar wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'playground-tar-'));
    mkdirSync(join(dir, 'run', 'best'), { recursive: true });
    writeFileSync(join(dir, 'run', 'best', 'checkpoint.json'), '{}');
    execFileSync('tar', ['cf', 'run.tar', '--format=ustar', 'run'], { cwd: dir });
    const read = unpackTar(new Uint8Array(readFileSync(join(dir, 'run.tar'))), 'run.tar');
    expect(read.map((f) => [f.name, new TextDecoder().decode(f.bytes)])).toEqual([
      ['run/best/checkpoint.json', '{}'],
    ]);
  });

  it('refuses a damaged header, naming the archive', () => {
    const archive = packTar(files);
    archive[10] ^= 0xff;
    expect(() => unpackTar(archive, 'broken.tar')).toThrow(
      /^broken\.tar: damaged tar header at byte 0/,
    );
  });
});
