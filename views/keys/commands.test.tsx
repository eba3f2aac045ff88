import { describe, expect, it } from 'vitest';
import { VIEWS } from '../registry.js';
import { completeCommand, parseCommand } from './commands.js';

const view = (text: string) => {
  const r = parseCommand(text, VIEWS);
  return r.ok ? r.command : r.error;
};

describe('parseCommand', () => {
  it('knows singular, plural and short names as kubectl does', () => {
    for (const [names, v] of [
      [['po', 'pod', 'pods'], 'pods'],
      [['ev', 'event', 'events'], 'events'],
      [['helm', 'releases', 'rel'], 'helm'],
      [['diag', 'findings', 'fd'], 'findings'],
      [['ns', 'namespace', 'namespaces'], 'namespaces'],
      [['ctx', 'context', 'contexts'], 'contexts'],
      [['pf', 'portforward', 'portforwards'], 'portforwards'],
      [['deploy', 'deployments', 'dp'], 'deployments'],
      [['sts', 'statefulsets'], 'statefulsets'],
      [['svc', 'services'], 'services'],
    ] as const) {
      for (const n of names) expect(view(n), n).toEqual({ type: 'view', view: v });
    }
  });

  it('quits with :q and :quit', () => {
    expect(view('q')).toEqual({ type: 'quit' });
    expect(view(':quit')).toEqual({ type: 'quit' });
  });

  it('takes a namespace after a namespaced resource, k9s style', () => {
    expect(view('pods observability')).toEqual({ type: 'view', view: 'pods', namespace: 'observability' });
    expect(view('  PO   kube-system ')).toEqual({ type: 'view', view: 'pods', namespace: 'kube-system' });
    expect(view('pods all')).toEqual({ type: 'view', view: 'pods', namespace: null });
  });

  it('switches context with :ctx <name>', () => {
    expect(view('ctx kind-dev')).toEqual({ type: 'context', name: 'kind-dev' });
  });

  it('explains what is wrong in one line', () => {
    expect(view('pdos')).toBe('Unknown command ":pdos": try :pods, :events, :helm, :findings (? lists all)');
    expect(view('ns default')).toBe(':ns lists cluster-wide objects and takes no namespace');
    expect(view('pods a b')).toBe('Too many words: ":pods" takes at most one (a namespace)');
    expect(view('')).toMatch(/^Type a command/);
  });
});

describe('completeCommand', () => {
  const source = { namespaces: ['default', 'kube-system', 'observability'], contexts: ['minikube', 'kind-dev'] };

  it('completes a resource name, canonical names first', () => {
    expect(completeCommand('p', source, VIEWS)).toBe('pods');
    expect(completeCommand('de', source, VIEWS)).toBe('deployments');
    expect(completeCommand('he', source, VIEWS)).toBe('helm');
  });

  it('offers nothing for a complete or unknown word', () => {
    expect(completeCommand('po', source, VIEWS)).toBeUndefined();
    expect(completeCommand('zz', source, VIEWS)).toBeUndefined();
    expect(completeCommand('', source, VIEWS)).toBeUndefined();
  });

  it('completes the namespace of a namespaced resource and the context of :ctx', () => {
    expect(completeCommand('pods obs', source, VIEWS)).toBe('pods observability');
    expect(completeCommand('ctx ki', source, VIEWS)).toBe('ctx kind-dev');
    expect(completeCommand('ns de', source, VIEWS)).toBeUndefined();
  });
});
