// The Pad kernel's fill: the padded output starts as the pad value's bit pattern (the input is
// then placed with util/strided's copyStrided).

/** Stores the 32-bit pattern `bits` into n consecutive words. */
export function fill32(y: usize, n: i32, bits: i32): void {
  if (bits == 0) {
    memory.fill(y, 0, <usize>n << 2);
    return;
  }
  const v = i32x4.splat(bits);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), v);
  for (; i < n; i++) store<i32>(y + (<usize>i << 2), bits);
}
