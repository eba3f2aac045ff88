import { describe, expect, it } from 'vitest';
import { mappedBuffer, PageBuffers, PageBytes } from '../../src/kube/page-bytes.js';

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
  it('gives the biggest kept buffer when it is big enough, keeps only the biggest few, and lets all go on clear', () => {
    const buffers = new PageBuffers(2);
    const [small, middle, big] = [buffers.take(1), buffers.take(200_000), buffers.take(3_000_000)];
    expect(small.length).toBe(65_536);
    // Big enough, and not twice as big: grown by half at a time.
    for (const [buf, min] of [
      [middle, 200_000],
      [big, 3_000_000],
    ] as const) {
      expect(buf.length).toBeGreaterThanOrEqual(min);
      expect(buf.length).toBeLessThan(min * 1.5 + 65_536);
    }
    buffers.give(small);
    buffers.give(big);
    buffers.give(middle);
    const again = buffers.take(1);
    expect(again === big).toBe(true);
    expect(buffers.take(1) === middle).toBe(true);
    // The small one was not kept; nothing kept is as big as this.
    expect(buffers.take(1).length).toBe(65_536);
    expect(buffers.take(5_000_000).length).toBeGreaterThanOrEqual(5_000_000);
    // One page of a list that cannot be paged is not kept between its reads.
    const huge = buffers.take(10_000_000);
    buffers.give(huge);
    expect(buffers.take(10_000_000) === huge).toBe(false);
    buffers.give(again);
    buffers.clear();
    expect(buffers.take(1) === again).toBe(false);
  });
});

describe('mappedBuffer', () => {
  // A WebAssembly memory's buffer is the one kind of ArrayBuffer that a transfer does not
  // detach (Node copies it); any other is left empty.
  const mapped = (b: Buffer) => {
    structuredClone(b.buffer, { transfer: [b.buffer] });
    return b.buffer.byteLength > 0;
  };

  it('maps whole 64 KB pages, outside malloc, each buffer its own memory', () => {
    const a = mappedBuffer(200_000);
    expect(a.length).toBe(4 * 65536);
    expect(a.byteOffset).toBe(0);
    expect(mapped(a)).toBe(true);
    a.fill(7);
    expect(mappedBuffer(65536).every((b) => b === 0)).toBe(true);
    expect(mapped(Buffer.allocUnsafeSlow(65536))).toBe(false);
  });

  it('takes a buffer from malloc where no memory can be mapped', () => {
    const real = globalThis.WebAssembly;
    (globalThis as { WebAssembly: unknown }).WebAssembly = {
      Memory: function () {
        throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      },
    };
    try {
      const b = mappedBuffer(100_000);
      expect(b.length).toBe(2 * 65536);
      expect(mapped(b)).toBe(false);
    } finally {
      (globalThis as { WebAssembly: unknown }).WebAssembly = real;
    }
  });
});
