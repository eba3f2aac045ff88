// Issue 11, least privilege and chains without logs: the real kcockpit binary against the
// simulator, once as admin and once as the namespace-only viewer (get/list/watch in one
// namespace, nothing cluster-wide), on each scenario the rules are written for. What the
// namespace's objects and events support must still be found; what needed cluster-scoped
// objects must be said to be unchecked, not silently dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport, ReportFinding } from '../../src/cli/output/report.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { runCli } from '../helpers/cli.js';

/** What a namespace-only user may not list: every cluster-scoped kind the snapshot reads. */
const CLUSTER_SCOPED = [
  'ingressclasses',
  'mutatingwebhookconfigurations',
  'namespaces',
  'nodes',
  'persistentvolumes',
  'storageclasses',
  'validatingwebhookconfigurations',
];

/** The rules that find nothing without the list. */
const BLIND: Record<string, string> = {
  nodes: 'nodes/cordoned',
  mutatingwebhookconfigurations: 'webhooks/unavailable',
  validatingwebhookconfigurations: 'webhooks/unavailable',
  ingressclasses: 'ingress/missing-class',
  persistentvolumes: 'storage/pv-released',
};

interface Case {
  scenario: string;
  namespace: string;
  /** Findings only cluster-scoped objects can give (the admin's finding → what the viewer finds instead, if anything). */
  clusterScoped: Record<string, string | string[] | null>;
}

const CASES: Case[] = [
  {
    scenario: 's1-jaeger',
    namespace: 'observability',
    // The webhook configuration is cluster-scoped; its Service's missing endpoints are still found.
    clusterScoped: {
      'webhooks/unavailable:/ValidatingWebhookConfiguration/jaeger-operator-validating-webhook-configuration#vjaeger.kb.io':
        null,
    },
  },
  { scenario: 's2-pending', namespace: 'shop', clusterScoped: {} },
  {
    scenario: 'shop',
    namespace: 'shop',
    // The cordoned node itself cannot be read; the scheduler's event on the pod still says it.
    clusterScoped: {
      'nodes/cordoned:/Node/shop-node-3': 'scheduling/pending:shop/Deployment/image-cache#unschedulable-node',
      // Volumes cannot be read: the claim that wants the Released one is still found Pending.
      'storage/pv-released:/PersistentVolume/reports-archive':
        'storage/pvc-pending:shop/PersistentVolumeClaim/reports-archive',
    },
  },
  {
    scenario: 'containers',
    namespace: 'bakery',
    // The node under memory pressure cannot be read: its pressure is still found from the pods it
    // evicted (nested under it), but the replacements its taint keeps Pending become a root of
    // their own, as nothing the viewer reads ties that taint to the node's condition.
    clusterScoped: {
      'nodes/pressure:/Node/bakery-batch-1#MemoryPressure': [
        'nodes/pressure:/Node/bakery-batch-1#MemoryPressure',
        'scheduling/pending:bakery/Deployment/proofing#taint',
      ],
    },
  },
];

async function diagnose(sim: SimServer, context: string, namespace: string): Promise<DiagnosisReport> {
  const r = await runCli(['diagnose', '--context', context, '-n', namespace, '-o', 'json'], {
    env: { KUBECONFIG: sim.kubeconfigPath },
  });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(1);
  return JSON.parse(r.stdout) as DiagnosisReport;
}

const ids = (findings: readonly ReportFinding[]): string[] => findings.map((f) => f.id).sort();
const rootIds = (report: DiagnosisReport): string[] => ids(report.findings.filter((f) => f.root));

describe.each(CASES)('kcockpit diagnose on $scenario as admin and as a namespace-only user', (c) => {
  let sim: SimServer;
  let admin: DiagnosisReport;
  let viewer: DiagnosisReport;
  beforeAll(async () => {
    sim = await startSimServer({
      scenario: { ...loadScenario(c.scenario), viewerNamespace: c.namespace },
      port: 0,
    });
    await sim.settle();
    [admin, viewer] = await Promise.all([diagnose(sim, 'sim', c.namespace), diagnose(sim, 'sim-viewer', c.namespace)]);
  });
  afterAll(() => sim.close());

  /** The admin's findings as the viewer should see them: cluster-scoped ones replaced or dropped. */
  const asViewer = (found: string[]): string[] =>
    [...new Set(found.flatMap((id) => (id in c.clusterScoped ? (c.clusterScoped[id] ?? []) : id)))].sort();

  it('the viewer finds every root cause the namespace supports, and the admin finds nothing the viewer had to replace', () => {
    expect(rootIds(viewer)).toEqual(asViewer(rootIds(admin)));
  });

  it('the viewer finds every symptom too, except the ones about cluster-scoped objects', () => {
    expect(ids(viewer.findings)).toEqual(asViewer(ids(admin.findings)));
  });

  it('says which lists it could not check, with the rules that needed them, and only to the viewer', () => {
    expect(admin.notes).toEqual([]);
    expect([...viewer.notes].sort()).toEqual(
      CLUSTER_SCOPED.map(
        (kind) =>
          `not allowed to list ${kind}: findings that need it could not be checked${BLIND[kind] ? ` (${BLIND[kind]})` : ''}`,
      ),
    );
  });
});

describe('s1 as a namespace-only user: the Elasticsearch root cause from the events alone', () => {
  let sim: SimServer;
  let report: DiagnosisReport;
  beforeAll(async () => {
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0 });
    await sim.settle();
    report = await diagnose(sim, 'sim-viewer', 'observability');
  });
  afterAll(() => sim.close());

  it("counts the nodes with the scheduler's FailedScheduling message, though nodes cannot be listed", () => {
    const es = report.findings.find((f) => f.ruleId === 'workloads/anti-affinity-replicas')!;
    expect(es).toMatchObject({
      root: true,
      severity: 'critical',
      subject: { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' },
      title:
        'statefulset/elasticsearch-master wants 3 replicas, one per node, but only 1 node can take them: Elasticsearch cannot elect a master',
    });
    expect(es.explanation).toContain(
      'kcockpit may not list nodes, but its FailedScheduling verdict counts 1 node in all',
    );
    expect(es.evidence).toContainEqual(
      expect.objectContaining({
        source: 'event',
        reason: 'FailedScheduling',
        text: expect.stringContaining("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules."),
      }),
    );
    expect(es.fixes[0]!.commands[0]).toContain('--set elasticsearch.replicas=1');
    for (const crash of report.findings.filter((f) => f.ruleId === 'pods/crashloop'))
      expect(crash.causedBy).toContain(es.id);
  });
});

describe('s1 without logs: the crash → Elasticsearch link rests on the configuration', () => {
  let sim: SimServer;
  beforeAll(async () => {
    // A Role like the viewer's without pods/log: every log read answers the real 403.
    sim = await startSimServer({ scenario: { ...loadScenario('s1-jaeger'), viewerDenied: ['pods/log'] }, port: 0 });
    await sim.settle();
  });
  afterAll(() => sim.close());

  it('links the collector and query crashes under the Elasticsearch root cause through ES_SERVER_URLS', async () => {
    const report = await diagnose(sim, 'sim-viewer', 'observability');
    expect(report.notes).toContain('not allowed to read pods/log: crashes are explained without their log lines');
    const es = report.findings.find((f) => f.ruleId === 'workloads/anti-affinity-replicas')!;
    expect(es.root).toBe(true);
    const crashes = report.findings.filter((f) => f.ruleId === 'pods/crashloop');
    expect(crashes.map((f) => f.subject.name).sort()).toEqual(['jaeger-collector', 'jaeger-query']);
    for (const crash of crashes) {
      expect(crash.root).toBe(false);
      expect(crash.causedBy).toContain(es.id);
      expect(crash.title).toBe(`${crash.subject.name} keeps crashing: it cannot reach elasticsearch-master:9200`);
      // The finding says which evidence made the link: the env var, not a log line.
      expect(crash.explanation).toContain(
        'No log lines were available, but its configuration names elasticsearch-master:9200 (spec.containers[0].env[1]: "ES_SERVER_URLS=http://elasticsearch-master:9200")',
      );
      expect(crash.evidence).toContainEqual(
        expect.objectContaining({
          source: 'spec',
          path: 'spec.containers[0].env[1]',
          text: 'ES_SERVER_URLS=http://elasticsearch-master:9200',
        }),
      );
      expect(crash.evidence.some((e) => e.source === 'log')).toBe(false);
    }
  });

  it('the same user with pods/log reads the log line instead', async () => {
    const full = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0 });
    try {
      await full.settle();
      const report = await diagnose(full, 'sim-viewer', 'observability');
      expect(report.notes.join('\n')).not.toContain('pods/log');
      const crash = report.findings.find((f) => f.ruleId === 'pods/crashloop')!;
      expect(crash.explanation).toContain('Its last log lines show it cannot reach elasticsearch-master:9200');
      expect(crash.evidence.some((e) => e.source === 'log')).toBe(true);
    } finally {
      await full.close();
    }
  });
});
