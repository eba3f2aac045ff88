import { describe, expect, it } from 'vitest';
import { BINDINGS, canonicalKey, helpFor, viewCommand } from './keys/bindings.js';
import { completeCommand, parseCommand } from './keys/commands.js';
import { createRegistry, missingView, VIEWS } from './registry.js';
import { eventsView } from './EventsView.js';
import { helpView } from './HelpView.js';
import { podsView } from './PodsView.js';
import { keysOf, type TableViewDef, type ViewContext, type ViewDef } from './view-def.js';
import { scenarioSnapshot } from './testing/fixtures.js';
import { indexFindings } from './data/finding-index.js';

const view = (name: string): ViewDef => {
  const def = VIEWS.get(name);
  if (!def) throw new Error(`no view ${name}`);
  return def;
};

describe('the view registry', () => {
  it('finds a view by its name, and a `:` view by any of its words in any case', () => {
    expect(VIEWS.get('pods')).toBe(podsView);
    expect(VIEWS.lookup('PO')).toBe(podsView);
    expect(VIEWS.lookup('ev')).toBe(eventsView);
    expect(VIEWS.get('describe')?.name).toBe('describe');
    // Views opened from a row are not `:` commands.
    expect(VIEWS.lookup('describe')).toBeUndefined();
    expect(VIEWS.commands.map((d) => d.name)).toEqual([
      'pods',
      'events',
      'helm',
      'findings',
      'namespaces',
      'contexts',
      'portforwards',
      'deployments',
      'statefulsets',
      'services',
    ]);
  });

  it('refuses two views with one name, or one `:` word for two views', () => {
    expect(() => createRegistry([podsView, { ...eventsView, name: 'pods' }])).toThrow('Two views are named "pods"');
    const clash = { ...eventsView, command: { aliases: ['PO'] } };
    expect(() => createRegistry([podsView, clash])).toThrow('":po" names both the pods and the events view');
  });

  it('never binds one key to two commands that can meet in the same view (object actions: on the same kind)', () => {
    for (const def of VIEWS.all) {
      const commands = helpFor(keysOf(def)).map((h) => h.command);
      for (const a of commands)
        for (const b of commands) {
          if (a >= b) continue;
          const [ka, kb] = [BINDINGS[a], BINDINGS[b]];
          const kindsA = ka.object?.kinds;
          const kindsB = kb.object?.kinds;
          const meet = !kindsA || !kindsB || kindsA.some((k) => kindsB.includes(k));
          const shared = ka.keys.map(canonicalKey).filter((k) => kb.keys.map(canonicalKey).includes(k));
          if (meet) expect(shared, `${def.name}: ${a} and ${b}`).toEqual([]);
        }
    }
  });

  it('picks the object action that fits the row: s shells into a pod and scales a Deployment', () => {
    expect(viewCommand('s', keysOf(view('pods')), 'Pod')).toBe('shell');
    expect(viewCommand('s', keysOf(view('deployments')), 'Deployment')).toBe('scale');
    expect(viewCommand('r', keysOf(view('deployments')), 'Deployment')).toBe('restart');
    expect(viewCommand('r', keysOf(view('pods')), 'Pod')).toBeUndefined();
    expect(viewCommand('e', keysOf(view('services')), 'Service')).toBe('edit');
    expect(viewCommand('e', keysOf(view('help')))).toBeUndefined();
  });

  it('offers each view its own keys with its own wording, and `0` where rows belong to a namespace', () => {
    expect(viewCommand('l', keysOf(view('pods')))).toBe('logs');
    expect(viewCommand('l', keysOf(view('events')))).toBeUndefined();
    expect(viewCommand('enter', keysOf(view('events')))).toBeUndefined();
    expect(viewCommand('0', keysOf(view('pods')))).toBe('namespace.all');
    expect(viewCommand('0', keysOf(view('namespaces')))).toBeUndefined();
    expect(viewCommand('x', keysOf(view('finding')))).toBe('fix');
    expect(viewCommand('shift-f', keysOf(view('services')))).toBe('portForward');
    expect(viewCommand('shift-f', keysOf(view('deployments')))).toBe('portForward');
    expect(viewCommand('shift-f', keysOf(view('statefulsets')))).toBeUndefined();
    const help = (name: string, command: string) =>
      helpFor(keysOf(view(name))).find((h) => h.command === command)?.description;
    expect(help('namespaces', 'drill')).toBe('Show the pods of the namespace');
    expect(help('statefulsets', 'drill')).toBe('Show the pods of the statefulset');
    expect(help('portforwards', 'delete')).toBe('Stop the selected port-forward (asks first)');
    expect(help('events', 'describe')).toBe('Describe the object the event is about');
  });

  it('shows an entry whose view is gone as one line, not a crash', () => {
    const gone = missingView('certificates');
    expect(gone.title({} as ViewContext, { view: 'certificates', cursor: 0, filter: '' })).toBe('certificates');
    expect(gone.lines({} as ViewContext, { view: 'certificates', cursor: 0, filter: '' })).toEqual([
      'There is no view "certificates" (any more). Press esc to go back, or : to open another.',
    ]);
  });

  it('makes a new view reachable from its definition alone: `:`, completion and `?`', () => {
    const configMaps: TableViewDef<{ name: string }> = {
      type: 'table',
      name: 'configmaps',
      command: { aliases: ['configmap', 'cm'] },
      namespaced: true,
      keys: { describe: true },
      title: () => 'configmaps',
      columns: () => [],
      rows: () => [],
      render: (r) => ({ cells: [r.name] }),
      emptyText: () => 'No configmaps.',
    };
    const views = createRegistry([...VIEWS.all, configMaps]);
    expect(parseCommand('cm kube-system', views)).toEqual({
      ok: true,
      command: { type: 'view', view: 'configmaps', namespace: 'kube-system' },
    });
    expect(completeCommand('con', { namespaces: [], contexts: [] }, views)).toBe('contexts');
    expect(completeCommand('conf', { namespaces: [], contexts: [] }, views)).toBe('configmaps');
    const ctx = { snapshot: scenarioSnapshot(), findings: indexFindings([]), views } as unknown as ViewContext;
    const rows = helpView.rows(ctx, { view: 'help', cursor: 0, filter: '', helpFor: 'configmaps' });
    expect(rows).toContainEqual({ keys: 'd', description: 'Describe the selected object (with its events)' });
    expect(rows).toContainEqual({ keys: '0', description: 'Show all namespaces' });
    expect(rows).toContainEqual({
      keys: ':configmaps',
      description: 'Show configmaps (also :configmap :cm); :configmaps <namespace>',
    });
  });
});
