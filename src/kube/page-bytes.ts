// Where a list page's bytes are gathered. A 500-pod page arrives as a few hundred socket
// chunks; kept in an array until the page is complete, the chunks outlive a few young-space
// collections, are promoted, and their memory (outside V8's heap, from malloc) is freed only
// by the next full collection, while the page's concatenation adds one more copy. On a
// 10,000-pod read that left ~50 MB of dead page bytes and ~90 MB of malloc'd heap in the
// process at its peak (docs/decisions/0021-list-pages.md). Here each chunk is copied into a
// buffer at once (the chunk dies young) and page buffers are handed back and reused.

/** Big enough for most pages of small objects; pod pages grow it a few times, once. */
const FIRST_SIZE = 64 * 1024;
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
    // Not from Node's shared 8 KB slab pool: a page buffer is big and lives for many pages.
    return Buffer.allocUnsafeSlow(size);
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
