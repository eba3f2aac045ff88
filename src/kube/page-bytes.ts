// Where a list page's bytes are gathered. A 500-pod page arrives as a few hundred socket
// chunks; kept in an array until the page is complete, the chunks outlive a few young-space
// collections, are promoted, and their memory (outside V8's heap, from malloc) is freed only
// by the next full collection, while the page's concatenation adds one more copy. On a
// 10,000-pod read that left ~50 MB of dead page bytes and ~90 MB of malloc'd heap in the
// process at its peak (docs/decisions/0021-list-pages.md). Here each chunk is copied into a
// buffer at once (the chunk dies young) and page buffers are handed back and reused.
//
// Page buffers are mapped from the system, not taken from malloc (PageMemory): glibc keeps
// the memory of freed buffers of a few MB in the process, where a 10,000-pod cockpit held
// ~18 MB more after loading (docs/decisions/0022-twins-and-page-memory.md).

/** A WebAssembly memory page: what PageMemory sizes are counted in. */
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
  private readonly free: PageMemory[] = [];

  /** `keep`: how many free buffers are kept for reuse; more are left to the collector. */
  constructor(private readonly keep = 3) {}

  /**
   * The biggest buffer kept (a page of a list is about as big as the page before it, and
   * starting small would grow it again), else a new one of at least `min` bytes.
   */
  take(min = FIRST_SIZE): PageMemory {
    return this.free.shift() ?? new PageMemory(min);
  }

  /** Lets the kept buffers go: no list is being read, and a process may live long after its lists. */
  clear(): void {
    this.free.length = 0;
  }

  /** `memory` may be reused: nothing may read it after this. The biggest ones are kept. */
  give(memory: PageMemory): void {
    if (memory.bytes.length > MAX_KEPT) return;
    this.free.push(memory);
    this.free.sort((a, b) => b.bytes.length - a.bytes.length);
    if (this.free.length > this.keep) this.free.length = this.keep;
  }
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
// Node has WebAssembly; TypeScript declares it only in the DOM library, which this project does not load.
declare const WebAssembly: { Memory: new (descriptor: { initial: number }) => WasmMemory };

/**
 * A page buffer in memory mapped for it alone, unmapped once it is collected, and grown in
 * place: a WebAssembly memory, which V8 maps with mmap. A buffer from malloc
 * (Buffer.allocUnsafeSlow) of a few MB raises glibc's mmap threshold when freed, so the next
 * ones come from its heap, whose freed memory stays in the process; and growing one means a
 * bigger one and a copy, each left for the collector (a 16 MB page left 27 MB of them).
 * Where memory cannot be mapped (an address-space limit), malloc's buffers it is.
 */
export class PageMemory {
  private memory: WasmMemory | undefined;
  /** The whole buffer; its length is a multiple of 64 KB. */
  bytes: Buffer;

  constructor(min: number) {
    const pages = pagesFor(min);
    try {
      this.memory = new WebAssembly.Memory({ initial: pages });
      this.bytes = Buffer.from(this.memory.buffer);
    } catch {
      this.bytes = Buffer.allocUnsafeSlow(pages * MAPPED_PAGE);
    }
  }

  /** Makes `bytes` at least `min` long, its first `used` bytes unchanged. Earlier `bytes` views are no longer valid. */
  grow(min: number, used: number): void {
    const pages = pagesFor(min);
    const more = pages - this.bytes.length / MAPPED_PAGE;
    if (more <= 0) return;
    if (this.memory) {
      try {
        this.memory.grow(more);
        this.bytes = Buffer.from(this.memory.buffer);
        return;
      } catch {
        this.memory = undefined;
      }
    }
    const bigger = Buffer.allocUnsafeSlow(pages * MAPPED_PAGE);
    this.bytes.copy(bigger, 0, 0, used);
    this.bytes = bigger;
  }

  /** Whether it is mapped memory, not malloc's. */
  get mapped(): boolean {
    return this.memory !== undefined;
  }
}

/** Enough 64 KB pages for `size` bytes. */
const pagesFor = (size: number): number => Math.max(1, Math.ceil(size / MAPPED_PAGE));

/** One page's bytes as they arrive, in a buffer of `buffers`, grown as needed. */
export class PageBytes {
  private memory: PageMemory | undefined;
  private size = 0;

  constructor(private readonly buffers: PageBuffers) {
    this.memory = buffers.take();
  }

  append(chunk: Buffer): void {
    const memory = this.memory!;
    const needed = this.size + chunk.length;
    // Grown by half, not doubled: a 4.1 MB page of 500 pods then takes 4.4 MB, not 8.
    if (needed > memory.bytes.length) memory.grow(Math.max(memory.bytes.length * GROWTH, needed), this.size);
    chunk.copy(memory.bytes, this.size);
    this.size = needed;
  }

  /** The bytes so far: a view, valid until `append` or `release`. */
  get bytes(): Buffer {
    return this.memory ? this.memory.bytes.subarray(0, this.size) : NONE;
  }

  /** Hands the buffer back (once); the bytes must not be read after this. */
  release(): void {
    if (!this.memory) return;
    this.buffers.give(this.memory);
    // The PageBytes itself may outlive its page (a settled promise holds it): not its buffer.
    this.memory = undefined;
  }
}
