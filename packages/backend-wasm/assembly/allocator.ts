// The module's allocator: boundary-tagged blocks in one arena from __heap_base to the end of
// linear memory, free blocks in 32 power-of-two size bins (a bitmap says which are non-empty),
// each bin's list in address order, address-ordered first fit (the lowest free block that fits),
// split on allocation, coalesced with both neighbours on free. Unlike
// AssemblyScript's TLSF (whose blocks stop at 1 GiB), one block may take any size up to the
// memory ceiling, and an allocation that cannot be served returns 0 instead of trapping, leaving
// every structure as it was, so the host can report the failure and carry on.
//
// Block layout: a 16-byte header (u32 size of the whole block incl. header | USED bit, u32 size
// of the physically previous block, 0 for the first), then the payload, 16-byte aligned. A free
// block keeps its bin links (u32 next, u32 prev) in the first payload bytes. Sizes are u32: the
// arena stops at MAX_PAGES (4 GiB - 64 KiB), so no address or size ever wraps.

// @ts-ignore: decorator
@inline const HEADER: usize = 16;
// @ts-ignore: decorator
@inline const MIN_BLOCK: usize = 32;
// @ts-ignore: decorator
@inline const USED: u32 = 1;
// @ts-ignore: decorator
@inline const BINS: i32 = 32;
/** Most 64 KiB pages the arena grows to: 4 GiB minus one page keeps every address below 2^32. */
// @ts-ignore: decorator
@inline export const MAX_PAGES: i32 = 65535;

let arenaStart: usize = 0;
let arenaEnd: usize = 0;
/** The physically last block (0 while the arena is empty). */
let lastBlock: usize = 0;
let binMap: u32 = 0;
let freeTotal: usize = 0;
/**
 * The bin heads: BINS u32 words at the start of the arena, set up by the first allocation
 * (main thread only), so that nothing in linear memory is written at instantiation.
 */
let heads: usize = 0;

// @ts-ignore: decorator
@inline function headOf(bin: i32): usize {
  return <usize>load<u32>(heads + (<usize>bin << 2));
}
// @ts-ignore: decorator
@inline function setHead(bin: i32, block: usize): void {
  store<u32>(heads + (<usize>bin << 2), <u32>block);
}

// @ts-ignore: decorator
@inline function sizeOf(block: usize): usize {
  return <usize>(load<u32>(block) & ~USED);
}
// @ts-ignore: decorator
@inline function isUsed(block: usize): bool {
  return (load<u32>(block) & USED) != 0;
}
// @ts-ignore: decorator
@inline function prevSizeOf(block: usize): usize {
  return <usize>load<u32>(block, 4);
}
// @ts-ignore: decorator
@inline function binOf(size: usize): i32 {
  return 31 - <i32>clz<u32>(<u32>size);
}

function setHeader(block: usize, size: usize, used: bool): void {
  store<u32>(block, <u32>size | (used ? USED : 0));
  const next = block + size;
  if (next < arenaEnd) store<u32>(next, <u32>size, 4);
  else lastBlock = block;
}

/** Puts a free block into its bin, keeping the bin's list in address order. */
function link(block: usize): void {
  const bin = binOf(sizeOf(block));
  let prev: usize = 0;
  let next = headOf(bin);
  while (next != 0 && next < block) {
    prev = next;
    next = <usize>load<u32>(next, HEADER);
  }
  store<u32>(block, <u32>next, HEADER);
  store<u32>(block, <u32>prev, HEADER + 4);
  if (next != 0) store<u32>(next, <u32>block, HEADER + 4);
  if (prev != 0) store<u32>(prev, <u32>block, HEADER);
  else setHead(bin, block);
  binMap |= 1 << bin;
  freeTotal += sizeOf(block);
}

function unlink(block: usize): void {
  const bin = binOf(sizeOf(block));
  const next = <usize>load<u32>(block, HEADER);
  const prev = <usize>load<u32>(block, HEADER + 4);
  if (prev != 0) store<u32>(prev, <u32>next, HEADER);
  else setHead(bin, next);
  if (next != 0) store<u32>(next, <u32>prev, HEADER + 4);
  if (headOf(bin) == 0) binMap &= ~(1 << bin);
  freeTotal -= sizeOf(block);
}

/**
 * The lowest-addressed free block of at least `size` bytes, unlinked, or 0. Large tensors come
 * and go every training step while small long-lived ones (parameters, optimizer moments) are
 * created and replaced between them; taking the lowest block that fits puts those low, below the
 * space the large ones reuse, which then stays in one piece (taking the most recently freed block
 * instead let 8 KiB optimizer moments settle in the middle of a 3.7 GiB free span, and a 1.7 GiB
 * request failed with 3.7 GiB free).
 */
function findFree(size: usize): usize {
  const bin = binOf(size);
  // The first block of the request's own bin that is large enough (they may be smaller) ...
  let best = headOf(bin);
  while (best != 0 && sizeOf(best) < size) best = <usize>load<u32>(best, HEADER);
  // ... or the head of a larger bin, every block of which fits, if that lies lower.
  let larger = bin >= 31 ? 0 : binMap & (~0 << (bin + 1));
  while (larger != 0) {
    const head = headOf(<i32>ctz<u32>(larger));
    if (best == 0 || head < best) best = head;
    larger &= larger - 1;
  }
  if (best != 0) unlink(best);
  return best;
}

/** Adds pages for a block of `size` bytes at the arena's end; false when memory cannot grow. */
function growFor(size: usize): bool {
  if (heads == 0) {
    heads = (__heap_base + 15) & ~15;
    arenaStart = heads + (<usize>BINS << 2);
    arenaEnd = arenaStart;
    if (arenaEnd > <usize>memory.size() << 16) return false;
    memory.fill(heads, 0, <usize>BINS << 2);
  }
  // A free last block is extended, so only the difference is needed.
  const tail = lastBlock != 0 && !isUsed(lastBlock) ? sizeOf(lastBlock) : 0;
  const pagesNow = memory.size();
  const room = (<usize>pagesNow << 16) - arenaEnd;
  const need = size - tail > room ? size - tail - room : 0;
  if (need > 0) {
    const needPages = <i32>((need + 0xffff) >> 16);
    if (needPages > MAX_PAGES - pagesNow) return false;
    // Grow by a quarter more (at most 256 MiB) to keep the number of growths logarithmic, but
    // settle for exactly what is needed near the ceiling.
    const extra = min(min(pagesNow >> 2, 4096), MAX_PAGES - pagesNow - needPages);
    if (memory.grow(needPages + extra) < 0 && memory.grow(needPages) < 0) return false;
  }
  const end = <usize>memory.size() << 16;
  if (end - arenaEnd < MIN_BLOCK) return true;
  let block = arenaEnd;
  let blockSize = (end - arenaEnd) & ~15;
  if (tail > 0) {
    unlink(lastBlock);
    block = lastBlock;
    blockSize += tail;
  } else if (lastBlock != 0) {
    store<u32>(block, <u32>sizeOf(lastBlock), 4);
  } else {
    store<u32>(block, 0, 4);
  }
  arenaEnd = block + blockSize;
  setHeader(block, blockSize, false);
  link(block);
  return true;
}

/** Allocates `bytes` (16-byte aligned payload); returns 0 when memory is exhausted. */
export function allocate(bytes: usize): usize {
  if (bytes > (<usize>MAX_PAGES << 16)) return 0;
  const size = max((bytes + HEADER + 15) & ~15, MIN_BLOCK);
  let block = findFree(size);
  if (block == 0) {
    if (!growFor(size)) return 0;
    block = findFree(size);
    if (block == 0) return 0;
  }
  const total = sizeOf(block);
  if (total - size >= MIN_BLOCK) {
    setHeader(block, size, true);
    const rest = block + size;
    store<u32>(rest, <u32>size, 4);
    setHeader(rest, total - size, false);
    link(rest);
  } else {
    setHeader(block, total, true);
  }
  return block + HEADER;
}

/** Returns a block from {@link allocate} (0 is ignored), merging it with free neighbours. */
export function release(ptr: usize): void {
  if (ptr == 0) return;
  let block = ptr - HEADER;
  let size = sizeOf(block);
  const next = block + size;
  if (next < arenaEnd && !isUsed(next)) {
    unlink(next);
    size += sizeOf(next);
  }
  const prevSize = prevSizeOf(block);
  if (block > arenaStart && prevSize > 0 && !isUsed(block - prevSize)) {
    block -= prevSize;
    unlink(block);
    size += prevSize;
  }
  setHeader(block, size, false);
  link(block);
}

/** Bytes in free blocks (the room linear memory can still grow by not included). */
export function freeBytes(): f64 {
  return <f64>freeTotal;
}

/** Payload bytes of the largest free block, and of the free block at the arena's end (or 0). */
export function largestFree(atEnd: bool): f64 {
  if (atEnd) return lastBlock != 0 && !isUsed(lastBlock) ? <f64>(sizeOf(lastBlock) - HEADER) : 0;
  let largest: usize = HEADER;
  for (let bin = 0; bin < BINS; bin++) {
    let block = heads != 0 ? headOf(bin) : 0;
    while (block != 0) {
      largest = max(largest, sizeOf(block));
      block = <usize>load<u32>(block, HEADER);
    }
  }
  return <f64>(largest - HEADER);
}
