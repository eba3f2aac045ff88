// The `resource` view in the whole cockpit: `:` names resolved through the server's
// catalogue, rows from a live Table (a fake source here), renderers, drills, the one-line
// forbidden message, and describe / YAML of a Secret that never show a value.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/diagnose/types.js';
import type { KubeObject, TableRow } from '../src/model/k8s.js';
import type { ResourceTableView } from '../src/store/resource-table.js';
import type { ResourceSource } from './sources.js';
import { startApp } from './testing/app.js';
import { apiResource as res, esFinding, FixedSource, NOW, scenarioSnapshot } from './testing/fixtures.js';
import { KEY, frame, press, waitForFrame } from './testing/ink.js';

const CATALOG = [
  res({ name: 'pods', kind: 'Pod', shortNames: ['po'] }),
  res({ name: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] }),
  // No short name: `:sec` is k9s's alias.
  res({ name: 'secrets', kind: 'Secret' }),
  res({ name: 'nodes', kind: 'Node', shortNames: ['no'], namespaced: false }),
  res({ name: 'certificates', kind: 'Certificate', group: 'cert-manager.io', shortNames: ['cert'] }),
  res({ name: 'certificates', kind: 'Certificate', group: 'networking.example.com' }),
];

const created = new Date(NOW - 3_600_000).toISOString();
const LONG = 'jaeger-sampling-strategies-for-the-whole-observability-stack';

const OBJECTS: Record<string, KubeObject[]> = {
  configmaps: [
    {
      metadata: { name: LONG, namespace: 'observability', creationTimestamp: created },
      data: { a: '1', b: '2' },
    } as KubeObject,
  ],
  // In the server's order: by name.
  secrets: [
    {
      // Older than regcred, and its password would retitle the terminal if it were obeyed.
      metadata: {
        name: 'db-login',
        namespace: 'observability',
        creationTimestamp: new Date(NOW - 7_200_000).toISOString(),
      },
      type: 'Opaque',
      data: {
        username: Buffer.from('jaeger').toString('base64'),
        password: Buffer.from('hunter2\u001b]0;pwned\u0007').toString('base64'),
      },
    } as KubeObject,
    {
      metadata: { name: 'regcred', namespace: 'observability', creationTimestamp: created },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': 'c2VjcmV0LXZhbHVl' },
    } as KubeObject,
  ],
  nodes: [
    {
      metadata: {
        name: 'minikube',
        creationTimestamp: created,
        labels: { 'node-role.kubernetes.io/control-plane': '' },
      },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' } },
    } as KubeObject,
  ],
};

/** A Table source answering from OBJECTS; `forbidden` names resources the user may not list. */
function fakeResources(forbidden: string[] = []): ResourceSource & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    table(resource, namespace) {
      const state: ResourceTableView['state'] = forbidden.includes(resource.name)
        ? { state: 'forbidden', reason: 'forbidden', retryInMs: 1000, verb: 'list' }
        : { state: 'watching' };
      const rows: TableRow[] = (OBJECTS[resource.name] ?? [])
        .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
        .map((object) => ({ cells: [object.metadata.name, 'server-cell'], object }));
      const view: ResourceTableView = {
        resource,
        namespace,
        columns: [
          { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
          { name: 'Ready', type: 'string', format: '', description: '', priority: 0 },
        ],
        rows: state.state === 'forbidden' ? [] : rows,
        state,
        loaded: state.state !== 'forbidden',
        version: 1,
      };
      return { view, subscribe: () => () => {}, start() {}, stop() {} };
    },
    async get(resource, namespace, name) {
      fetched.push(`${resource.name}/${name}`);
      const obj = (OBJECTS[resource.name] ?? []).find((o) => o.metadata.name === name);
      if (!obj) throw new Error(`${resource.name} "${name}" not found`);
      return obj;
    },
  };
}

async function start(resources: ResourceSource, columns = 160, found?: Finding[]) {
  const source = new FixedSource(scenarioSnapshot({ apiResources: CATALOG }));
  return startApp({ source, resources, columns, rows: 24, namespace: 'observability', ...(found ? { found } : {}) });
}

const command = async (app: Awaited<ReturnType<typeof start>>['app'], text: string) => {
  await press(app, ':', ...text.split(''), KEY.enter);
};

describe('any resource through `:`', () => {
  it('lists ConfigMaps by their short name with their key count, the whole name shown', async () => {
    const { app } = await start(fakeResources());
    await command(app, 'cm');
    const f = await waitForFrame(app, (x) => x.includes('configmaps(observability)'));
    expect(f).toMatch(/NAME\s+DATA\s+AGE/);
    expect(f).toContain(`${LONG} `);
    expect(f).toMatch(/observability-stack\s+2\s+60m/);
  });

  it('cuts a long name in the middle only when the terminal is too narrow', async () => {
    const { app } = await start(fakeResources(), 50);
    await command(app, 'cm');
    const f = await waitForFrame(app, (x) => x.includes('configmaps('));
    expect(f).not.toContain(LONG);
    expect(f).toMatch(/jaeger-sampl.*….*-stack/);
  });

  it('says which group an ambiguous name picked and how to name the other', async () => {
    const { app } = await start(fakeResources());
    await command(app, 'certificates');
    const f = await waitForFrame(app, (x) => x.includes('certificates.cert-manager.io(observability)'));
    expect(f).toContain('also served: certificates.networking.example.com');
    // No renderer of its own: the server's columns.
    expect(f).toMatch(/NAME\s+READY/);
  });

  it('shows a list the user may not read as one line naming the missing RBAC verb', async () => {
    const { app } = await start(fakeResources(['nodes']));
    await command(app, 'no');
    const f = await waitForFrame(app, (x) => x.includes('Forbidden'));
    expect(f).toContain('Forbidden: you may not list nodes (RBAC verb "list" missing).');
  });

  it('lists cluster-scoped nodes kubectl-like; enter shows the pods the node runs', async () => {
    const { app } = await start(fakeResources());
    await command(app, 'no');
    const f = await waitForFrame(app, (x) => /minikube\s+Ready\s+control-plane\s+60m\s+v1\.32\.0/.test(x));
    expect(f).toMatch(/^nodes \[1\/1\]/m);
    await press(app, KEY.enter);
    await waitForFrame(app, (x) => x.includes('pods(all) › node/minikube'));
  });

  it('refuses an unknown kind in one line', async () => {
    const { app } = await start(fakeResources());
    await command(app, 'widgets');
    await waitForFrame(app, (x) => x.includes(`:widgets: the server doesn't have a resource type "widgets"`));
  });
});

describe('a Secret read on demand', () => {
  it('lists type and key count; describe gives key sizes and YAML masks values, never the value', async () => {
    const resources = fakeResources();
    const { app } = await start(resources);
    await command(app, 'secrets');
    await waitForFrame(app, (x) => /regcred\s+kubernetes\.io\/dockerconfigjson\s+1\s/.test(x));
    await press(app, 'j', 'd');
    const d = await waitForFrame(app, (x) => x.includes('.dockerconfigjson:  12 bytes'));
    expect(d).toMatch(/Type:\s+kubernetes\.io\/dockerconfigjson/);
    expect(d).not.toContain('c2VjcmV0LXZhbHVl');
    expect(resources.fetched).toEqual(['secrets/regcred']);
    await press(app, KEY.escape, 'y');
    const y = await waitForFrame(app, (x) => x.includes('.dockerconfigjson: ••••••••'));
    expect(y).not.toContain('c2VjcmV0LXZhbHVl');
  });
});

describe('shift-x: one Secret value, asked for', () => {
  const openSecrets = async () => {
    const started = await start(fakeResources());
    await command(started.app, 'sec');
    await waitForFrame(started.app, (x) => x.includes('secrets(observability) [1/2]'));
    return started;
  };

  it("reaches Secrets by k9s's :sec, and never shows a value without a y", async () => {
    const { app } = await openSecrets();
    // regcred has one key: the question comes straight away.
    await press(app, 'j', 'X');
    let f = await waitForFrame(app, (x) => x.includes('Show the decoded value of ".dockerconfigjson" in Secret'));
    expect(f).toContain('observability/regcred on screen? [y/n]');
    expect(f).not.toContain('secret-value');
    await press(app, 'n');
    f = await waitForFrame(app, (x) => !x.includes('[y/n]'));
    expect(f).not.toContain('secret-value');
    // enter is not yes.
    await press(app, 'X', KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('[y/n]'));
    expect(f).not.toContain('secret-value');
    await press(app, 'y');
    f = await waitForFrame(app, (x) => x.includes('Secret observability/regcred: .dockerconfigjson'));
    expect(f).toContain('secret-value');
    expect(f).toContain('never logged');
    await press(app, KEY.escape);
    f = await waitForFrame(app, (x) => !x.includes('Secret observability/regcred:'));
    expect(f).not.toContain('secret-value');
    expect(f).toContain('secrets(observability)');
  });

  it('asks which key when there are several, and shows a control character instead of obeying it', async () => {
    const { app } = await openSecrets();
    await press(app, 'X');
    let f = await waitForFrame(app, (x) => x.includes('Decode: which key of Secret observability/db-login?'));
    expect(f).toMatch(/> password/);
    expect(f).toContain('  username');
    expect(f).not.toContain('hunter2');
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('Show the decoded value of "password"'));
    expect(f).not.toContain('hunter2');
    await press(app, 'y');
    f = await waitForFrame(app, (x) => x.includes('Secret observability/db-login: password'));
    expect(f).toContain('hunter2\\x1b]0;pwned\\x07');
    expect(f).not.toContain('\u001b]0;');
  });

  it('is not offered on other kinds', async () => {
    const { app } = await start(fakeResources());
    await command(app, 'cm');
    await waitForFrame(app, (x) => x.includes('configmaps(observability)'));
    await press(app, 'X');
    const f = frame(app);
    expect(f).not.toContain('Decode');
  });
});

describe('sorting any kind', () => {
  it('shift-a sorts a server-rendered list by age, newest first; again, oldest first', async () => {
    const { app } = await start(fakeResources());
    await command(app, 'sec');
    let f = await waitForFrame(app, (x) => x.includes('secrets(observability) [1/2]'));
    // By name first, as the server lists them.
    expect(f.indexOf('db-login')).toBeLessThan(f.indexOf('regcred'));
    await press(app, 'A');
    f = await waitForFrame(app, (x) => x.includes('AGE↑'));
    expect(f.indexOf('regcred')).toBeLessThan(f.indexOf('db-login'));
    // The cursor stayed on db-login, which moved down.
    expect(f).toMatch(/^> +db-login/m);
    await press(app, 'A');
    f = await waitForFrame(app, (x) => x.includes('AGE↓'));
    expect(f.indexOf('db-login')).toBeLessThan(f.indexOf('regcred'));
    // A column the kind has no key of its own for sorts by its cells.
    await press(app, 'N', 'N');
    f = await waitForFrame(app, (x) => x.includes('NAME↓'));
    expect(f.indexOf('regcred')).toBeLessThan(f.indexOf('db-login'));
  });
});

describe('findings on any kind', () => {
  // A finding about the node, as nodes/cordoned writes one: no plan, so `x` says what to do instead.
  const cordoned: Finding = {
    id: 'nodes/cordoned:/Node/minikube',
    ruleId: 'nodes/cordoned',
    severity: 'warning',
    subject: { kind: 'Node', name: 'minikube' },
    title: 'node minikube is cordoned',
    explanation: 'No new pod is scheduled on it.',
    evidence: [],
    objects: [{ kind: 'Node', name: 'minikube' }],
    causedBy: [],
    fixes: [],
  };

  it('marks the row of the object a finding is about, and `x` on it acts on that finding', async () => {
    const { app } = await start(fakeResources(), 160, [cordoned]);
    await command(app, 'no');
    const f = await waitForFrame(app, (x) => x.includes('nodes [1/1]'));
    expect(f).toMatch(/^>▲ minikube /m);
    await press(app, 'x');
    const after = await waitForFrame(app, (x) => x.includes('no fix plan'));
    expect(after).toContain('kcockpit has no fix plan for "node minikube is cordoned".');
  });

  it('leaves the rows no finding is about unmarked, and `x` there finds nothing to fix', async () => {
    const { app } = await start(fakeResources(), 160, [cordoned]);
    await command(app, 'cm');
    const f = await waitForFrame(app, (x) => x.includes('configmaps(observability) [1/1]'));
    expect(f).toMatch(/^> {2}jaeger-sampling/m);
    await press(app, 'x');
    expect(await waitForFrame(app, (x) => x.includes('Nothing to fix'))).toContain(
      'Nothing to fix here: kcockpit found no problem for this row.',
    );
  });

  it('marks a workload of its own view (a StatefulSet) the same way', async () => {
    const { app } = await start(fakeResources(), 160, [esFinding]);
    await command(app, 'sts');
    const f = await waitForFrame(app, (x) => x.includes('statefulsets(observability)'));
    expect(f).toMatch(/^>● elasticsearch-master /m);
  });
});
