import { describe, expect, it } from 'vitest';
import { PageBuffers, PageBytes, PageMemory } from '../../src/kube/page-bytes.js';

describe('PageBytes', () => {
  it('gathers chunks in order, growing its buffer, and hands the buffer back for the next page', () => {
    const buffers = new PageBuffers();
    const first = new PageBytes(buffers);
    const chunk = Buffer.alloc(50_000, 'a');
    for (let i = 0; i < 5; i++) first.append(chunk);
    first.append(Buffer.from('end'));
    expect(first.bytes.length).toBe(250_003);
    expect(first.bytes.subarray(-4).toString()).toBe('aend');
    const grown = first.bytes.buffer;
    first.release();

    // The next page of the list writes into the same memory instead of asking for more.
    const second = new PageBytes(buffers);
    second.append(Buffer.from('{"items":[]}'));
    expect(second.bytes.toString()).toBe('{"items":[]}');
    expect(second.bytes.buffer === grown).toBe(true);
  });

  it('a released page holds its buffer no longer', () => {
    const page = new PageBytes(new PageBuffers());
    page.append(Buffer.from('{"items":[]}'));
    page.release();
    expect(page.bytes.length).toBe(0);
  });

  it('a page released twice is handed back once', () => {
    const buffers = new PageBuffers();
    const page = new PageBytes(buffers);
    page.release();
    page.release();
    const a = buffers.take(1);
    const b = buffers.take(1);
    expect(a === b).toBe(false);
  });
});

describe('PageBuffers', () => {
  it('gives the biggest kept buffer, keeps only the biggest few, and lets all go on clear', () => {
    const buffers = new PageBuffers(2);
    const [small, middle, big] = [buffers.take(1), buffers.take(200_000), buffers.take(3_000_000)];
    expect(small.bytes.length).toBe(65_536);
    expect(middle.bytes.length).toBe(4 * 65_536);
    expect(big.bytes.length).toBe(46 * 65_536);
    buffers.give(small);
    buffers.give(big);
    buffers.give(middle);
    const again = buffers.take();
    expect(again === big).toBe(true);
    expect(buffers.take() === middle).toBe(true);
    // The small one was not kept: a new one.
    expect(buffers.take(1).bytes.length).toBe(65_536);
    // One page of a list that cannot be paged is not kept between its reads.
    const huge = buffers.take(10_000_000);
    buffers.give(huge);
    expect(buffers.take() === huge).toBe(false);
    buffers.give(again);
    buffers.clear();
    expect(buffers.take() === again).toBe(false);
  });
});

describe('PageMemory', () => {
  // A WebAssembly memory's buffer is the one kind of ArrayBuffer that a transfer does not
  // detach (Node copies it); any other is left empty.
  const outsideMalloc = (b: Buffer) => {
    structuredClone(b.buffer, { transfer: [b.buffer] });
    return b.buffer.byteLength > 0;
  };

  it('maps whole 64 KB pages, outside malloc, each buffer its own memory', () => {
    const a = new PageMemory(200_000);
    expect(a.bytes.length).toBe(4 * 65536);
    expect(a.bytes.byteOffset).toBe(0);
    expect(a.mapped).toBe(true);
    a.bytes.fill(7);
    expect(new PageMemory(1).bytes.every((b) => b === 0)).toBe(true);
    expect(outsideMalloc(a.bytes)).toBe(true);
    expect(outsideMalloc(Buffer.allocUnsafeSlow(65536))).toBe(false);
  });

  it('grows in place: the bytes in use kept, no second buffer', () => {
    const m = new PageMemory(1);
    m.bytes.write('the first bytes');
    const memory = m.bytes.buffer;
    m.grow(1_000_000, 15);
    expect(m.bytes.length).toBe(16 * 65536);
    expect(m.bytes.toString('utf8', 0, 15)).toBe('the first bytes');
    expect(m.mapped).toBe(true);
    // The same memory, grown: the old view of it is detached, not left for the collector.
    expect(memory.byteLength).toBe(0);
    m.grow(100, 15);
    expect(m.bytes.length).toBe(16 * 65536);
  });

  it('takes malloc’s buffers where no memory can be mapped or grown', () => {
    const real = globalThis.WebAssembly;
    const refuse = () => {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    };
    try {
      (globalThis as { WebAssembly: unknown }).WebAssembly = { Memory: refuse };
      const m = new PageMemory(100_000);
      expect(m.bytes.length).toBe(2 * 65536);
      expect(m.mapped).toBe(false);
      m.bytes.write('kept');
      m.grow(300_000, 4);
      expect(m.bytes.length).toBe(5 * 65536);
      expect(m.bytes.toString('utf8', 0, 4)).toBe('kept');

      // Mapped, but it cannot grow (the address space is used up): copied to malloc's.
      (globalThis as { WebAssembly: unknown }).WebAssembly = {
        Memory: function (d: { initial: number }) {
          return { buffer: new ArrayBuffer(d.initial * 65536), grow: refuse };
        },
      };
      const n = new PageMemory(1);
      n.bytes.write('kept');
      n.grow(200_000, 4);
      expect(n.mapped).toBe(false);
      expect(n.bytes.length).toBe(4 * 65536);
      expect(n.bytes.toString('utf8', 0, 4)).toBe('kept');
    } finally {
      (globalThis as { WebAssembly: unknown }).WebAssembly = real;
    }
  });
});
