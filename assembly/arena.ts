// One scratch region shared by every kernel call: the TypeScript side asks for the bytes it needs,
// writes inputs there, the kernel writes outputs there, and the region is reused by the next call.
// Nothing in the module allocates elsewhere (stub runtime, no managed objects), so memory cannot
// leak per call; it only grows to the largest request seen.

const ALIGN: usize = 64;

function base(): usize {
  return (__heap_base + ALIGN - 1) & ~(ALIGN - 1);
}

/** Ensures `bytes` of scratch memory and returns its (64-byte aligned) start address. */
export function reserve(bytes: usize): usize {
  const start = base();
  const needed = start + bytes;
  const have = (<usize>memory.size()) << 16;
  if (needed > have) {
    const pages = <i32>((needed - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0; // out of memory: the caller turns 0 into a typed error
  }
  return start;
}
