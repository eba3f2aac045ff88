import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Text } from 'ink';
import type { Key } from 'ink';
import {
  dispatchKey,
  keyName,
  splitChunk,
  splitKeys,
  useKeyDispatcher,
  type KeyLayer,
  type KeyPress,
} from './dispatcher.js';
import { KEY, press, tick, waitForFrame } from '../testing/ink.js';

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const key = (k: Partial<Key>): Key => ({ ...NO_KEY, ...k });

describe('keyName', () => {
  it('names Esc even though Ink also sets meta on it', () => {
    expect(keyName('', key({ escape: true, meta: true }))).toBe('escape');
  });

  it('names letters, shifted letters and symbols', () => {
    expect(keyName('j', NO_KEY)).toBe('j');
    expect(keyName('G', key({ shift: true }))).toBe('shift-g');
    expect(keyName('F', key({ shift: true }))).toBe('shift-f');
    expect(keyName(':', NO_KEY)).toBe(':');
    expect(keyName('?', NO_KEY)).toBe('?');
    expect(keyName('0', NO_KEY)).toBe('0');
    expect(keyName(' ', NO_KEY)).toBe('space');
  });

  it('names ctrl and alt chords', () => {
    expect(keyName('d', key({ ctrl: true }))).toBe('ctrl-d');
    expect(keyName('c', key({ ctrl: true }))).toBe('ctrl-c');
    expect(keyName('x', key({ meta: true }))).toBe('alt-x');
  });

  it('names ctrl-space (NUL, which Ink calls ctrl-`) and ctrl-\\ (FS, which Ink passes as is)', () => {
    expect(keyName('`', key({ ctrl: true }))).toBe('ctrl-space');
    expect(keyName('\u0000', NO_KEY)).toBe('ctrl-space');
    expect(keyName('\u001c', NO_KEY)).toBe('ctrl-\\');
  });

  it('names navigation and editing keys', () => {
    expect(keyName('', key({ return: true }))).toBe('enter');
    expect(keyName('', key({ pageDown: true }))).toBe('pagedown');
    expect(keyName('', key({ pageUp: true }))).toBe('pageup');
    expect(keyName('', key({ downArrow: true }))).toBe('down');
    expect(keyName('', key({ tab: true }))).toBe('tab');
    expect(keyName('', key({ tab: true, shift: true }))).toBe('shift-tab');
    expect(keyName('', key({ delete: true }))).toBe('delete');
  });
});

describe('dispatchKey', () => {
  const seen: string[] = [];
  const layer = (id: string, takes: (p: KeyPress) => boolean): KeyLayer => ({
    id,
    handle: (p) => {
      seen.push(id);
      return takes(p);
    },
  });

  it('offers the key to layers in order and stops at the first that takes it', () => {
    seen.length = 0;
    const taken = dispatchKey({ name: 'j', input: 'j' }, [
      layer('prompt', () => false),
      layer('view', (p) => p.name === 'j'),
      layer('global', () => true),
    ]);
    expect(taken).toBe('view');
    expect(seen).toEqual(['prompt', 'view']);
  });

  it('skips absent layers (no prompt open) and reports an unhandled key', () => {
    expect(dispatchKey({ name: 'z', input: 'z' }, [undefined, layer('view', () => false)])).toBeUndefined();
  });
});

describe('useKeyDispatcher', () => {
  function Probe({ log, promptOpen }: { log: string[]; promptOpen: boolean }) {
    useKeyDispatcher([
      promptOpen ? { id: 'prompt', handle: (p) => (log.push(`prompt:${p.input}`), true) } : undefined,
      { id: 'global', handle: (p) => (log.push(`global:${p.name}`), true) },
    ]);
    return <Text>probe</Text>;
  }

  it('delivers real keypresses, Esc included, to the layers of the latest render', async () => {
    const log: string[] = [];
    const app = render(<Probe log={log} promptOpen={false} />);
    await press(app, 'G', KEY.escape, KEY.ctrlD, KEY.pageDown, KEY.backspace);
    app.rerender(<Probe log={log} promptOpen={true} />);
    await press(app, 'q');
    expect(log).toEqual([
      'global:shift-g',
      'global:escape',
      'global:ctrl-d',
      'global:pagedown',
      'global:delete',
      'prompt:q',
    ]);
    app.unmount();
  });
});

describe('keys typed faster than the screen repaints', () => {
  it('splits a burst of letters into single keys, shifted letters included', () => {
    expect(splitKeys('jjG', NO_KEY).map((p) => p.name)).toEqual(['j', 'j', 'shift-g']);
    expect(splitKeys('j', NO_KEY)).toEqual([{ name: 'j', input: 'j' }]);
  });

  it('handles each key of a burst against the state the previous key produced', async () => {
    function Counter({ promptOpen, pasted }: { promptOpen: boolean; pasted: string[] }) {
      const [count, setCount] = React.useState(0);
      useKeyDispatcher([
        promptOpen ? { id: 'prompt', handle: (p) => (pasted.push(p.input), true) } : undefined,
        // Reads `count` from its render, as the cockpit's layers do: a stale layer would lose keys.
        { id: 'view', handle: (p) => p.name === 'j' && (setCount(count + 1), true) },
      ]);
      return <Text>count={count}</Text>;
    }
    const pasted: string[] = [];
    const app = render(<Counter promptOpen={false} pasted={pasted} />);
    await press(app, 'jjj');
    await waitForFrame(app, (f) => f === 'count=3');
    app.rerender(<Counter promptOpen={true} pasted={pasted} />);
    await press(app, 'observability');
    expect(pasted).toEqual(['observability']);
    app.unmount();
  });
});

describe('a typed line arriving in one chunk', () => {
  it('types the text into an open prompt and submits it with the line break', async () => {
    const seen: string[] = [];
    function Prompt() {
      useKeyDispatcher([{ id: 'prompt', handle: (p) => (seen.push(`${p.name}:${p.input}`), true) }]);
      return <Text>prompt</Text>;
    }
    const app = render(<Prompt />);
    await press(app, 'helm\r');
    await until(() => seen.length === 2);
    expect(seen).toEqual(['helm:helm', 'enter:\r']);
    app.unmount();
  });

  it('cuts a chunk at line breaks and leaves other chunks whole', () => {
    expect(splitChunk('helm\r', {} as Key)).toEqual([
      { name: 'helm', input: 'helm' },
      { name: 'enter', input: '\r' },
    ]);
    expect(splitChunk('jjj', {} as Key)).toEqual([{ name: 'jjj', input: 'jjj' }]);
  });
});

describe('control characters in a burst', () => {
  it('names Backspace (DEL), tab and escape as they are named alone', () => {
    expect(splitKeys('\u007f\u007fx\t', {} as Key).map((k) => k.name)).toEqual(['delete', 'delete', 'x', 'tab']);
  });
});

describe('a burst typed into a prompt', () => {
  it('keeps Backspace as a key between text runs', () => {
    expect(splitChunk('16686\u007f\u007f\u007f\u007f\u007f18686\r', {} as Key)).toEqual([
      { name: '16686', input: '16686' },
      ...Array.from({ length: 5 }, () => ({ name: 'delete', input: '\u007f' })),
      { name: '18686', input: '18686' },
      { name: 'enter', input: '\r' },
    ]);
  });
});
