// Where a list page's bytes are gathered. A 500-pod page arrives as a few hundred socket
// chunks; kept in an array until the page is complete, the chunks outlive a few young-space
// collections, are promoted, and their memory (outside V8's heap, from malloc) is freed only
// by the next full collection, while the page's concatenation adds one more copy. On a
// 10,000-pod read that left ~50 MB of dead page bytes and ~90 MB of malloc'd heap in the
// process at its peak (docs/decisions/0021-list-pages.md). Here each chunk is copied into a
// buffer at once (the chunk dies young) and page buffers are handed back and reused.
//
// Page buffers are mapped from the system, not taken from malloc (mappedBuffer): glibc keeps
// the memory of freed buffers of a few MB in the process, where a 10,000-pod cockpit held
// ~18 MB more after loading (docs/decisions/0022-twins-and-page-memory.md).

/** A WebAssembly memory page: what mappedBuffer sizes are counted in. */
const MAPPED_PAGE = 64 * 1024;
/** Big enough for most pages of small objects; pod pages grow it a few times, once. */
const FIRST_SIZE = MAPPED_PAGE;
const GROWTH = 1.5;
/**
 * Bigger buffers are not kept for reuse: a list that cannot be paged (metrics.k8s.io answers
 * 10,000 PodMetrics in one page) would otherwise pin one of that size between its polls.
 */
const MAX_KEPT = 8 * 1024 * 1024;
const NONE = Buffer.alloc(0);

/** Page buffers of one connection, reused from page to page and list to list. */
export class PageBuffers {
  /** Biggest first. */
  private readonly free: Buffer[] = [];

  /** `keep`: how many free buffers are kept for reuse; more are left to the collector. */
  constructor(private readonly keep = 3) {}

  /**
   * A buffer of at least `min` bytes: the biggest one kept if it is big enough (a page of a
   * list is about as big as the page before it, and starting small would copy it as it
   * grows), else a new one.
   */
  take(min: number): Buffer {
    if (this.free.length > 0 && this.free[0]!.length >= min) return this.free.shift()!;
    // Grown by half, not doubled: a 4.1 MB page of 500 pods then takes 4.4 MB, not 8.
    let size = FIRST_SIZE;
    while (size < min) size = Math.ceil((size * GROWTH) / FIRST_SIZE) * FIRST_SIZE;
    return mappedBuffer(size);
  }

  /** Lets the kept buffers go: no list is being read, and a process may live long after its lists. */
  clear(): void {
    this.free.length = 0;
  }

  /** `buf` may be reused: nothing may read it after this. The biggest ones are kept. */
  give(buf: Buffer): void {
    if (buf.length > MAX_KEPT) return;
    this.free.push(buf);
    this.free.sort((a, b) => b.length - a.length);
    if (this.free.length > this.keep) this.free.length = this.keep;
  }
}

// Node has WebAssembly; TypeScript declares it only in the DOM library, which this project does not load.
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
};

/**
 * A buffer of at least `size` bytes in memory mapped for it alone and unmapped once it is
 * collected: a WebAssembly memory, which V8 maps with mmap. A buffer from malloc
 * (Buffer.allocUnsafeSlow) of a few MB raises glibc's mmap threshold when freed, so the next
 * ones come from its heap, whose freed memory stays in the process. Where a memory cannot be
 * mapped (an address-space limit), malloc's buffer it is.
 */
export function mappedBuffer(size: number): Buffer {
  const pages = Math.ceil(size / MAPPED_PAGE);
  try {
    return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer);
  } catch {
    return Buffer.allocUnsafeSlow(pages * MAPPED_PAGE);
  }
}

/** One page's bytes as they arrive, in a buffer of `buffers`, grown as needed. */
export class PageBytes {
  private buf: Buffer;
  private size = 0;
  private released = false;

  constructor(private readonly buffers: PageBuffers) {
    this.buf = buffers.take(FIRST_SIZE);
  }

  append(chunk: Buffer): void {
    if (this.size + chunk.length > this.buf.length) {
      const bigger = this.buffers.take(Math.max(this.buf.length * GROWTH, this.size + chunk.length));
      this.buf.copy(bigger, 0, 0, this.size);
      this.buffers.give(this.buf);
      this.buf = bigger;
    }
    chunk.copy(this.buf, this.size);
    this.size += chunk.length;
  }

  /** The bytes so far: a view, valid until `append` or `release`. */
  get bytes(): Buffer {
    return this.buf.subarray(0, this.size);
  }

  /** Hands the buffer back (once); the bytes must not be read after this. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.buffers.give(this.buf);
    // The PageBytes itself may outlive its page (a settled promise holds it): not its buffer.
    this.buf = NONE;
  }
}
