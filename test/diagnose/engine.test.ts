import { describe, expect, it } from 'vitest';
import { causeChain, findingTree, forbiddenNotes, runRules } from '../../src/diagnose/engine.js';
import { builtinRules } from '../../plugins/index.js';
import type { RawFinding, Rule } from '../../src/diagnose/types.js';
import { Snapshot } from '../../src/store/snapshot.js';
import type { Pod, Service, Workload } from '../../src/model/k8s.js';

const ns = 'observability';

const sts: Workload = {
  kind: 'StatefulSet',
  apiVersion: 'apps/v1',
  metadata: { name: 'elasticsearch-master', namespace: ns, uid: 'sts-uid' },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'elasticsearch' }] } } },
};

function esPod(i: number): Pod {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: `elasticsearch-master-${i}`,
      namespace: ns,
      uid: `es-${i}`,
      labels: { app: 'elasticsearch-master' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'elasticsearch-master', uid: 'sts-uid', controller: true },
      ],
    },
    spec: { containers: [{ name: 'elasticsearch' }] },
  };
}

const svc: Service = {
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: 'elasticsearch-master', namespace: ns },
  spec: { selector: { app: 'elasticsearch-master' }, ports: [{ port: 9200 }] },
};

const snapshot = new Snapshot({
  namespace: ns,
  statefulSets: [sts],
  pods: [esPod(0), esPod(1), esPod(2)],
  services: [svc],
  takenAt: 1_000,
});

const ref = (kind: string, name: string) => ({ kind, name, namespace: ns });

function raw(partial: Partial<RawFinding> & Pick<RawFinding, 'ruleId' | 'subject'>): RawFinding {
  return {
    severity: 'critical',
    title: partial.ruleId,
    explanation: 'x',
    evidence: [],
    objects: [partial.subject],
    fixes: [],
    ...partial,
  };
}

const rootRule: Rule = {
  id: 'workloads/anti-affinity-replicas',
  title: 'root',
  diagnose: () => [
    raw({
      ruleId: 'workloads/anti-affinity-replicas',
      subject: ref('StatefulSet', 'elasticsearch-master'),
      explains: [
        ref('StatefulSet', 'elasticsearch-master'),
        ref('Pod', 'elasticsearch-master-1'),
        ref('Pod', 'elasticsearch-master-2'),
      ],
    }),
  ],
};
const pendingRule: Rule = {
  id: 'scheduling/pending',
  title: 'pending',
  diagnose: () => [
    raw({
      ruleId: 'scheduling/pending',
      subject: ref('StatefulSet', 'elasticsearch-master'),
      objects: [
        ref('StatefulSet', 'elasticsearch-master'),
        ref('Pod', 'elasticsearch-master-1'),
        ref('Pod', 'elasticsearch-master-2'),
      ],
    }),
  ],
};
const crashRule: Rule = {
  id: 'pods/crashloop',
  title: 'crash',
  diagnose: () => [
    raw({
      ruleId: 'pods/crashloop',
      severity: 'warning',
      subject: ref('Deployment', 'jaeger-collector'),
      dependsOn: [ref('Service', 'elasticsearch-master')],
    }),
  ],
};

describe('diagnosis engine', () => {
  it('links symptoms to the finding that explains them and to the finding behind a Service they depend on', () => {
    const { findings, failures } = runRules([crashRule, pendingRule, rootRule], snapshot);
    expect(failures).toEqual([]);
    const byRule = Object.fromEntries(findings.map((f) => [f.ruleId, f]));
    const root = byRule['workloads/anti-affinity-replicas']!;
    expect(root.causedBy).toEqual([]);
    expect(byRule['scheduling/pending']!.causedBy).toEqual([root.id]);
    // The crash depends on the Service, whose pods belong to the StatefulSet both findings cover.
    expect(byRule['pods/crashloop']!.causedBy).toEqual(
      expect.arrayContaining([root.id, byRule['scheduling/pending']!.id]),
    );
    expect(findings[0]!.id).toBe(root.id);
  });

  it('gives stable ids from rule, subject and detail', () => {
    const { findings } = runRules([rootRule], snapshot);
    expect(findings[0]!.id).toBe('workloads/anti-affinity-replicas:observability/StatefulSet/elasticsearch-master');
    const again = runRules([rootRule], snapshot);
    expect(again.findings[0]!.id).toBe(findings[0]!.id);
  });

  it('keeps ids unique when a rule reports one subject twice', () => {
    const twice: Rule = {
      id: 'a/b',
      title: 't',
      diagnose: () => [
        raw({ ruleId: 'a/b', subject: ref('Pod', 'p') }),
        raw({ ruleId: 'a/b', subject: ref('Pod', 'p') }),
      ],
    };
    const ids = runRules([twice], snapshot).findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('nests symptoms under one cause only, roots first, and walks the cause chain', () => {
    const { findings } = runRules([crashRule, pendingRule, rootRule], snapshot);
    const tree = findingTree(findings);
    expect(tree).toHaveLength(1);
    expect(tree[0]!.finding.ruleId).toBe('workloads/anti-affinity-replicas');
    const flat = JSON.stringify(tree);
    expect(flat.match(/pods\/crashloop:/g)).toHaveLength(1);
    const crash = findings.find((f) => f.ruleId === 'pods/crashloop')!;
    expect(causeChain(crash, findings).at(-1)!.ruleId).toBe('workloads/anti-affinity-replicas');
  });

  it('breaks cause cycles instead of looping', () => {
    const a: Rule = {
      id: 'x/a',
      title: 'a',
      diagnose: () => [
        raw({ ruleId: 'x/a', subject: ref('Pod', 'a'), explains: [ref('Pod', 'b')] }),
        raw({ ruleId: 'x/a', subject: ref('Pod', 'b'), explains: [ref('Pod', 'c')] }),
        raw({ ruleId: 'x/a', subject: ref('Pod', 'c'), explains: [ref('Pod', 'a')] }),
      ],
    };
    const { findings } = runRules([a], snapshot);
    expect(findings.filter((f) => f.causedBy.length === 0).length).toBeGreaterThanOrEqual(1);
    expect(findingTree(findings).length).toBeGreaterThanOrEqual(1);
    for (const f of findings) expect(causeChain(f, findings).length).toBeLessThan(3);
  });

  it('reports a rule that throws and still returns the others', () => {
    const broken: Rule = {
      id: 'x/broken',
      title: 'b',
      diagnose: () => {
        throw new Error('boom');
      },
    };
    const { findings, failures } = runRules([broken, rootRule], snapshot);
    expect(failures).toEqual([{ ruleId: 'x/broken', message: 'boom' }]);
    expect(findings).toHaveLength(1);
  });

  it('passes error text and time to rules', () => {
    let seen: unknown;
    const spy: Rule = {
      id: 'x/spy',
      title: 's',
      diagnose: (ctx) => {
        seen = [ctx.errorText, ctx.now];
        return [];
      },
    };
    runRules([spy], snapshot, { errorText: 'no matches for kind', now: 42 });
    expect(seen).toEqual(['no matches for kind', 42]);
  });
});

describe('explainsOnly', () => {
  it('limits which rules a cause explains', () => {
    const crd: Rule = {
      id: 'crds/missing-api-group',
      title: 'crd',
      diagnose: () => [
        raw({
          ruleId: 'crds/missing-api-group',
          subject: { kind: 'APIGroup', name: 'cert-manager.io' },
          explains: [ref('Deployment', 'op')],
          explainsOnly: ['pods/create-container-config'],
        }),
      ],
    };
    const pull: Rule = {
      id: 'pods/image-pull',
      title: 'pull',
      diagnose: () => [raw({ ruleId: 'pods/image-pull', subject: ref('Deployment', 'op') })],
    };
    const mount: Rule = {
      id: 'pods/create-container-config',
      title: 'mount',
      diagnose: () => [raw({ ruleId: 'pods/create-container-config', subject: ref('Deployment', 'op') })],
    };
    const { findings } = runRules([crd, pull, mount], snapshot);
    expect(findings.find((f) => f.ruleId === 'pods/image-pull')!.causedBy).toEqual([]);
    expect(findings.find((f) => f.ruleId === 'pods/create-container-config')!.causedBy).toEqual([
      'crds/missing-api-group:/APIGroup/cert-manager.io',
    ]);
  });
});

describe('forbiddenNotes', () => {
  it('names, for each list the user may not read, the rules that find nothing without it', () => {
    const hand: Rule = { id: 'myteam/quota', title: 'x', needs: ['resourcequotas'], diagnose: () => [] };
    expect(
      forbiddenNotes(
        [...builtinRules, hand],
        ['nodes', 'validatingwebhookconfigurations', 'resourcequotas', 'namespaces', 'pods/log'],
      ),
    ).toEqual([
      'not allowed to list nodes: findings that need it could not be checked (nodes/cordoned)',
      'not allowed to list validatingwebhookconfigurations: findings that need it could not be checked (webhooks/unavailable)',
      'not allowed to list resourcequotas: findings that need it could not be checked (myteam/quota)',
      'not allowed to list namespaces: findings that need it could not be checked',
      'not allowed to read pods/log: crashes are explained without their log lines',
    ]);
  });

  it('ignores a plugin whose needs is not a list', () => {
    const odd = { id: 'x/y', title: 'x', needs: 'nodes', diagnose: () => [] } as unknown as Rule;
    expect(forbiddenNotes([odd], ['nodes'])).toEqual([
      'not allowed to list nodes: findings that need it could not be checked',
    ]);
  });
});
