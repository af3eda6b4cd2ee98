/**
 * A minimal POSIX ustar archive: a downloaded model is one `.tar` holding a checkpoint directory,
 * which `tar xf` unpacks for the command-line apps and the page reads back. Regular files only.
 */
import type { NamedFile } from './protocol.js';

const BLOCK = 512;

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length > length) throw new RangeError(`tar: '${value}' is longer than ${length} bytes`);
  header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** The files as one ustar archive (names up to 100 bytes; modification time `mtime` seconds). */
export function packTar(files: readonly NamedFile[], mtime = 0): Uint8Array {
  const size = files.reduce((n, f) => n + BLOCK + Math.ceil(f.bytes.length / BLOCK) * BLOCK, 0);
  const out = new Uint8Array(size + 2 * BLOCK);
  let at = 0;
  for (const file of files) {
    const header = out.subarray(at, at + BLOCK);
    writeString(header, 0, 100, file.name);
    writeOctal(header, 100, 8, 0o644);
    writeOctal(header, 108, 8, 0);
    writeOctal(header, 116, 8, 0);
    writeOctal(header, 124, 12, file.bytes.length);
    writeOctal(header, 136, 12, mtime);
    header.fill(0x20, 148, 156); // the checksum counts its own field as spaces
    header[156] = 0x30; // '0': a regular file
    writeString(header, 257, 6, 'ustar');
    writeString(header, 263, 2, '00');
    const sum = header.reduce((a, b) => a + b, 0);
    writeString(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    out.set(file.bytes, at + BLOCK);
    at += BLOCK + Math.ceil(file.bytes.length / BLOCK) * BLOCK;
  }
  return out;
}

/** Whether `bytes` look like a ustar archive (the magic at offset 257 of the first header). */
export function isTar(bytes: Uint8Array): boolean {
  return bytes.length >= BLOCK && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar';
}

/** The regular files of a ustar archive; a damaged header is an error naming `source`. */
export function unpackTar(bytes: Uint8Array, source: string): NamedFile[] {
  const files: NamedFile[] = [];
  const text = (from: number, length: number) =>
    new TextDecoder().decode(bytes.subarray(from, from + length)).replace(/\0.*$/s, '');
  for (let at = 0; at + BLOCK <= bytes.length; ) {
    const header = bytes.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
    const recorded = Number.parseInt(text(at + 148, 8).trim(), 8);
    if (recorded !== sum)
      throw new Error(
        `${source}: damaged tar header at byte ${at} (checksum ${recorded}, computed ${sum})`,
      );
    const size = Number.parseInt(text(at + 124, 12).trim() || '0', 8);
    const prefix = text(at + 345, 155);
    const name = (prefix ? `${prefix}/` : '') + text(at, 100);
    const type = String.fromCharCode(header[156] || 0x30);
    if (at + BLOCK + size > bytes.length)
      throw new Error(`${source}: '${name}' is cut short (the archive is truncated)`);
    if (type === '0') files.push({ name, bytes: bytes.slice(at + BLOCK, at + BLOCK + size) });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
