// The row cache must give exactly the text Ink's own Output#get gives: frames are generated
// at random (styled text, wide characters, nested clips, writes off the grid, transformers)
// and each is rendered both ways, then again after the cache has seen similar frames. And
// the cache must be what Ink's renderer really calls: a real cockpit, driven by keys, draws
// through it, and draws what Ink alone draws.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
// Ink's own colour library (its dependency, installed beside it): the test process has no
// terminal, so colour is switched on by hand.
import chalk from 'chalk';
import { prng } from '../../src/util/prng.js';
import {
  inkRowCacheState,
  installInkRowCache,
  rowCachedGet,
  type InkOutput,
  type OutputGet,
  type OutputOperation,
} from '../../src/cli/ink-row-cache.js';
import { loadInkOutput } from '../../src/cli/ink-output.js';
import { themeFor } from '../../views/theme.js';
import { startApp } from '../../views/testing/app.js';
import { frame, press } from '../../views/testing/ink.js';

interface OutputClass {
  prototype: InkOutput;
  new (options: { width: number; height: number }): InkOutput;
}

// Ink's Output as it ships, whatever was installed in the one Ink's renderer uses (the
// setup file puts the cache there): another URL is another instance of the module.
const entry = import.meta.resolve('ink');
const { default: Output } = (await import(new URL('./output.js?unpatched', entry).href)) as { default: OutputClass };
const original = Output.prototype.get as OutputGet;

const PIECES = [
  'pod-0001',
  'Running',
  ' ',
  '  ',
  '1/1',
  '●',
  '…',
  '│',
  '日本',
  '🙂',
  'ImagePullBackOff',
  '\u001b[31mred\u001b[39m',
  '\u001b[1m\u001b[7mbold inverse\u001b[27m\u001b[22m',
  '\u001b[38;5;208morange\u001b[39m',
  'é',
  'x',
];

// Pure, as Ink's own <Text> styling is; some use the line index, some write even into an
// empty slice.
const TRANSFORMERS: ((line: string, index: number) => string)[] = [
  (line) => (line ? `\u001b[31m${line}\u001b[39m` : ''),
  (line) => (line ? `\u001b[1m${line}\u001b[22m` : ''),
  (line, index) => `${index}:${line}`,
  (line) => line.replace(/o/g, '0'),
];

function randomText(rand: () => number): string {
  const lines = 1 + Math.floor(rand() * 3);
  return Array.from({ length: lines }, () =>
    Array.from({ length: Math.floor(rand() * 6) }, () => PIECES[Math.floor(rand() * PIECES.length)]).join(''),
  ).join('\n');
}

function randomFrame(rand: () => number, width: number, height: number): OutputOperation[] {
  const ops: OutputOperation[] = [];
  let depth = 0;

  for (let i = 0; i < 25; i++) {
    const r = rand();
    if (r < 0.12) {
      const x1 = Math.floor(rand() * width);
      const y1 = Math.floor(rand() * height);
      const clip =
        rand() < 0.3
          ? { y1, y2: y1 + Math.floor(rand() * height) }
          : { x1, x2: x1 + Math.floor(rand() * width), y1, y2: y1 + Math.floor(rand() * height) };
      ops.push({ type: 'clip', clip });
      depth++;
    } else if (r < 0.2 && depth > 0) {
      ops.push({ type: 'unclip' });
      depth--;
    } else {
      const transformers = rand() < 0.7 ? [TRANSFORMERS[Math.floor(rand() * TRANSFORMERS.length)]!] : [];
      ops.push({
        type: 'write',
        x: Math.floor(rand() * (width + 4)) - 2,
        y: Math.floor(rand() * (height + 4)) - 2,
        text: randomText(rand),
        transformers,
      });
    }
  }
  return ops;
}

function renderWith(get: OutputGet, width: number, height: number, operations: OutputOperation[]) {
  const output = new Output({ width, height });
  output.operations = operations;
  return get.call(output);
}

describe('rowCachedGet', () => {
  it("is compared against Ink's own code, not against itself", async () => {
    expect(await installInkRowCache()).toBe(true);
    const { Output: used } = (await loadInkOutput()) as { Output: OutputClass };
    expect(used).not.toBe(Output);
    expect(used.prototype.get).not.toBe(original);
    expect(original.toString()).toBe(Output.prototype.get.toString());
  });

  it('renders random frames exactly as Ink does, before and after the cache has filled', () => {
    const cached = rowCachedGet(original, () => new Output({ width: 1, height: 1 }).caches);
    for (let seed = 1; seed <= 400; seed++) {
      const rand = prng(seed);
      const width = 5 + Math.floor(rand() * 40);
      const height = 1 + Math.floor(rand() * 12);
      const ops = randomFrame(rand, width, height);
      const expected = renderWith(original, width, height, ops);
      expect(renderWith(cached, width, height, ops), `seed ${seed}`).toEqual(expected);
      // The same frame again comes from the cache and must not differ.
      expect(renderWith(cached, width, height, ops), `seed ${seed}, cached`).toEqual(expected);
    }
  });

  it('renders an unchanged row from the cache without calling Ink again', () => {
    let calls = 0;
    const counting: OutputGet = function (this: InkOutput) {
      calls++;
      return original.call(this);
    };
    const cached = rowCachedGet(counting, () => new Output({ width: 1, height: 1 }).caches);
    const frame = (selected: number): OutputOperation[] =>
      Array.from({ length: 10 }, (_, i) => ({
        type: 'write' as const,
        x: 0,
        y: i,
        text: `${i === selected ? '>' : ' '} pod-${i}  Running`,
        transformers: [],
      }));
    renderWith(cached, 40, 10, frame(0));
    expect(calls).toBe(10);
    calls = 0;
    // The cursor moves one row down: two rows changed.
    expect(renderWith(cached, 40, 10, frame(1))).toEqual(renderWith(original, 40, 10, frame(1)));
    expect(calls).toBe(2);
  });

  it('does not serve a row from the cache when only its style changed', () => {
    const cached = rowCachedGet(original, () => new Output({ width: 1, height: 1 }).caches);
    const styled = (code: number): OutputOperation[] => [
      {
        type: 'write',
        x: 0,
        y: 0,
        text: 'pod-1 Running',
        transformers: [(line) => `\u001b[${code}m${line}\u001b[39m`],
      },
    ];
    expect(renderWith(cached, 20, 1, styled(31)).output).toBe('\u001b[31mpod-1 Running\u001b[39m');
    expect(renderWith(cached, 20, 1, styled(32)).output).toBe('\u001b[32mpod-1 Running\u001b[39m');
  });
});

describe('the row cache in Ink', () => {
  afterEach(() => cleanup());

  /**
   * The frames a cockpit on scenario S1 shows while j, G, / and a filter are typed, in
   * colour: every <Text> then writes through a transformer, which the cache must respect.
   */
  async function framesOfASession(): Promise<string[]> {
    const level = chalk.level;
    chalk.level = 2;
    try {
      const { app } = await startApp({ columns: 120, rows: 30, theme: themeFor('256') });
      const frames = [frame(app)];
      for (const keys of [['j'], ['j'], ['G'], ['g'], ['/'], ['e', 'l'], ['\u001b'], ['j']]) {
        await press(app, ...keys);
        frames.push(frame(app));
      }
      cleanup();
      expect(frames.join('')).toContain('\u001b[38;5;');
      return frames;
    } finally {
      chalk.level = level;
    }
  }

  it("is what Ink's renderer calls, and it answers rows from memory", async () => {
    expect(await installInkRowCache()).toBe(true);
    const before = inkRowCacheState().stats;
    await framesOfASession();
    const after = inkRowCacheState().stats;
    expect(after.frames - before.frames).toBeGreaterThan(8);
    expect(after.rowsRendered - before.rowsRendered).toBeGreaterThan(0);
    expect(after.rowsRemembered - before.rowsRemembered).toBeGreaterThan(after.rowsRendered - before.rowsRendered);
  });

  it('draws a real session exactly as Ink alone draws it', async () => {
    expect(await installInkRowCache()).toBe(true);
    const withCache = await framesOfASession();
    const { Output: used } = (await loadInkOutput()) as { Output: OutputClass };
    const cached = used.prototype.get;
    used.prototype.get = original;
    try {
      expect(await framesOfASession()).toEqual(withCache);
    } finally {
      used.prototype.get = cached;
    }
  });
});
