import { describe, expect, it } from 'vitest';
import { editPrompt } from './prompt.js';

const k = (name: string, input = '') => ({ name, input });

describe('editPrompt', () => {
  it('types printable keys, including ones bound elsewhere (q, j, G)', () => {
    expect(editPrompt('po', k('q', 'q'))).toEqual({ type: 'edit', text: 'poq' });
    expect(editPrompt('', k('shift-g', 'G'))).toEqual({ type: 'edit', text: 'G' });
    expect(editPrompt('pods', k('space', ' '))).toEqual({ type: 'edit', text: 'pods ' });
  });

  it('deletes with Backspace, whichever code the terminal sends', () => {
    expect(editPrompt('pods', k('backspace'))).toEqual({ type: 'edit', text: 'pod' });
    expect(editPrompt('pods', k('delete'))).toEqual({ type: 'edit', text: 'pod' });
    expect(editPrompt('日本', k('delete'))).toEqual({ type: 'edit', text: '日' });
  });

  it('clears the line with ctrl-u and a word with ctrl-w', () => {
    expect(editPrompt('pods obs', k('ctrl-u', 'u'))).toEqual({ type: 'edit', text: '' });
    expect(editPrompt('pods obs', k('ctrl-w', 'w'))).toEqual({ type: 'edit', text: 'pods ' });
  });

  it('submits, completes and cancels', () => {
    expect(editPrompt('helm', k('enter'))).toEqual({ type: 'submit', text: 'helm' });
    expect(editPrompt('he', k('tab'))).toEqual({ type: 'complete' });
    expect(editPrompt('he', k('escape'))).toEqual({ type: 'cancel' });
  });

  it('swallows keys that mean nothing here, and keeps pasted newlines out', () => {
    expect(editPrompt('x', k('up'))).toEqual({ type: 'ignore' });
    expect(editPrompt('x', k('ctrl-d', 'd'))).toEqual({ type: 'ignore' });
    expect(editPrompt('', k('app=web\n', 'app=web\n'))).toEqual({ type: 'edit', text: 'app=web ' });
  });
});
