// Allocation in WebAssembly linear memory. Tensors, kernel scratch and packed matrices all come
// from AssemblyScript's TLSF allocator (`heap.alloc`/`heap.free`, built with the `minimal`
// runtime, whose garbage collector never runs because these kernels allocate no managed objects).
// TLSF returns 16-byte aligned blocks, coalesces freed neighbours and grows the memory itself.

/** Allocates `bytes` bytes (16-byte aligned) and returns the address. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes < 16 ? 16 : bytes);
}

/** Frees a block returned by {@link alloc}. */
export function free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
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

@inline function grow(old: usize, cap: usize, bytes: usize): usize {
  if (old != 0) heap.free(old);
  return heap.alloc(cap * 2 > bytes ? cap * 2 : bytes);
}

/** A scratch block of at least `bytes` bytes for `slot` (0..3); its contents are undefined. */
export function scratch(slot: i32, bytes: usize): usize {
  if (slot == 0) {
    if (c0 < bytes) { s0 = grow(s0, c0, bytes); c0 = c0 * 2 > bytes ? c0 * 2 : bytes; }
    return s0;
  }
  if (slot == 1) {
    if (c1 < bytes) { s1 = grow(s1, c1, bytes); c1 = c1 * 2 > bytes ? c1 * 2 : bytes; }
    return s1;
  }
  if (slot == 2) {
    if (c2 < bytes) { s2 = grow(s2, c2, bytes); c2 = c2 * 2 > bytes ? c2 * 2 : bytes; }
    return s2;
  }
  if (c3 < bytes) { s3 = grow(s3, c3, bytes); c3 = c3 * 2 > bytes ? c3 * 2 : bytes; }
  return s3;
}

/** Releases every scratch block back to the allocator. */
export function releaseScratch(): void {
  free(s0); free(s1); free(s2); free(s3);
  s0 = 0; s1 = 0; s2 = 0; s3 = 0;
  c0 = 0; c1 = 0; c2 = 0; c3 = 0;
}
