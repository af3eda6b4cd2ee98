// Allocation in WebAssembly linear memory. Tensors, kernel scratch and packed matrices all come
// from the module's own allocator (allocator.ts): 16-byte aligned blocks of any size up to the
// memory ceiling, 0 (never a trap) when memory is exhausted. Nothing here allocates managed
// objects, so AssemblyScript's runtime allocator is never used.
import { allocate, freeBytes, largestFree, release } from './allocator';

/** Allocates `bytes` bytes (16-byte aligned) and returns the address, or 0 when out of memory. */
export function alloc(bytes: usize): usize {
  return allocate(bytes);
}

/** Frees a block returned by {@link alloc}. */
export function free(ptr: usize): void {
  release(ptr);
}

/** Bytes in free blocks; linear memory may still grow by more (up to its maximum). */
export function memoryFree(): f64 {
  return freeBytes();
}

/** Payload bytes of the largest free block, or (`atEnd`) of the free block that growth extends. */
export function memoryLargestFree(atEnd: bool): f64 {
  return largestFree(atEnd);
}

/** Current size of linear memory in 64 KiB pages. */
export function memoryPages(): i32 {
  return memory.size();
}

/** Zero-fills `bytes` bytes at `ptr`. */
export function zero(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

// Reusable scratch blocks (packing buffers and similar), grown on demand. They are plain
// globals, not memory, so that nothing in linear memory is initialised at instantiation.
let s0: usize = 0;
let c0: usize = 0;
let s1: usize = 0;
let c1: usize = 0;
let s2: usize = 0;
let c2: usize = 0;
let s3: usize = 0;
let c3: usize = 0;

// Kernels cannot report a failed scratch allocation, so it traps; the slot is left empty first.
@inline function grow(old: usize, cap: usize, bytes: usize): usize {
  release(old);
  let block = allocate(cap * 2 > bytes ? cap * 2 : bytes);
  if (block == 0) block = allocate(bytes);
  return block;
}

/** A scratch block of at least `bytes` bytes for `slot` (0..3); its contents are undefined. */
export function scratch(slot: i32, bytes: usize): usize {
  if (slot == 0) {
    if (c0 < bytes) { s0 = grow(s0, c0, bytes); c0 = s0 == 0 ? 0 : max(c0 * 2, bytes); if (s0 == 0) unreachable(); }
    return s0;
  }
  if (slot == 1) {
    if (c1 < bytes) { s1 = grow(s1, c1, bytes); c1 = s1 == 0 ? 0 : max(c1 * 2, bytes); if (s1 == 0) unreachable(); }
    return s1;
  }
  if (slot == 2) {
    if (c2 < bytes) { s2 = grow(s2, c2, bytes); c2 = s2 == 0 ? 0 : max(c2 * 2, bytes); if (s2 == 0) unreachable(); }
    return s2;
  }
  if (c3 < bytes) { s3 = grow(s3, c3, bytes); c3 = s3 == 0 ? 0 : max(c3 * 2, bytes); if (s3 == 0) unreachable(); }
  return s3;
}

/** Releases every scratch block back to the allocator. */
export function releaseScratch(): void {
  free(s0); free(s1); free(s2); free(s3);
  s0 = 0; s1 = 0; s2 = 0; s3 = 0;
  c0 = 0; c1 = 0; c2 = 0; c3 = 0;
}
