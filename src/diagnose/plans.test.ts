import { describe, expect, it } from 'vitest';
import { jsonPatchCommand, shellQuote } from './plans.js';

describe('shell-facing commands', () => {
  it('single-quotes arguments, even ones that contain quotes', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('writes the JSON patch kubectl takes', () => {
    expect(
      jsonPatchCommand({ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }, [
        { op: 'add', path: '/imagePullSecrets/-', value: { name: 'regcred' } },
      ]),
    ).toBe(
      `kubectl patch serviceaccount default -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"regcred"}}]'`,
    );
  });
});
