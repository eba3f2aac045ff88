import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './release-status.js';
import { rule as missingGroup } from '../crds/missing-api-group.js';
import { rule as antiAffinity } from '../workloads/anti-affinity-replicas.js';
import { rule as pending } from '../scheduling/pending.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { HelmRelease, KubeEvent, Node, Pod, Workload } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-11-21T21:40:00Z');
const failedJaeger = () => fixture<HelmRelease[]>('helm/releases-jaeger-upgrade-failed.json');
const pendingJaegerOp = () => fixture<HelmRelease[]>('helm/releases-jaeger-op-pending-upgrade.json');

function diagnose(input: SnapshotInput, now = NOW): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now });
}

describe('helm/release-status — failed', () => {
  it('quotes the stored description and offers a rollback to the last good revision', () => {
    const findings = diagnose({ helmReleases: failedJaeger() });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe('helm/release-status:observability/HelmRelease/jaeger');
    expect(f.severity).toBe('critical');
    expect(f.subject).toEqual({ kind: 'HelmRelease', namespace: 'observability', name: 'jaeger' });
    expect(f.title).toBe('Helm release jaeger: the last upgrade failed (revision 2)');
    expect(f.explanation).toContain('failed: "Upgrade "jaeger" failed: timed out waiting for the condition"');
    expect(f.explanation).toContain("Helm waited for the release's resources to become ready and gave up");
    expect(f.explanation).toContain('or roll back to revision 1, the last one that worked');
    expect(f.evidence).toContainEqual({
      source: 'helm',
      ref: { kind: 'HelmRelease', namespace: 'observability', name: 'jaeger' },
      path: 'info.description',
      text: 'Upgrade "jaeger" failed: timed out waiting for the condition',
    });
    expect(f.fixes).toEqual([
      expect.objectContaining({
        id: 'rollback-release',
        mutates: false,
        commands: ['helm rollback jaeger 1 -n observability'],
      }),
    ]);
  });

  it('offers uninstall and install again when no revision ever deployed', () => {
    const [first] = failedJaeger();
    const [f] = diagnose({
      helmReleases: [
        { ...first!, status: 'failed', description: 'Release "jaeger" failed: context deadline exceeded' },
      ],
    });
    expect(f!.title).toBe('Helm release jaeger: the last install failed (revision 1)');
    expect(f!.fixes).toEqual([
      expect.objectContaining({ id: 'reinstall-release', commands: ['helm uninstall jaeger -n observability'] }),
    ]);
  });

  it('depends on the release workloads that are not ready, so the engine hangs it under their cause', () => {
    const sts = fixture<Workload>('workloads/elasticsearch-master-statefulset.json');
    const input: SnapshotInput = {
      helmReleases: failedJaeger(),
      nodes: [fixture<Node>('scheduling/node-minikube.json')],
      statefulSets: [sts],
      pods: fixture<{ items: Pod[] }>('workloads/elasticsearch-master-pods.json').items,
      events: fixture<{ items: KubeEvent[] }>('workloads/elasticsearch-master-events.json').items,
    };
    const [f] = diagnose(input);
    expect(f!.dependsOn).toEqual([{ kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' }]);

    const { findings } = runRules([rule, antiAffinity, pending], new Snapshot(input), { now: NOW });
    const root = findings.find((x) => x.ruleId === 'workloads/anti-affinity-replicas')!;
    const release = findings.find((x) => x.ruleId === 'helm/release-status')!;
    expect(release.causedBy).toContain(root.id);
    expect(root.causedBy).toEqual([]);
  });

  it('is explained by the missing API group when the upgrade could not build its objects', () => {
    const [good] = failedJaeger();
    const broken: HelmRelease = {
      ...good!,
      name: 'jaeger-op',
      chartName: 'jaeger-operator',
      chartVersion: '2.38.0',
      revision: 2,
      status: 'failed',
      description:
        'Upgrade "jaeger-op" failed: unable to build kubernetes objects from new release manifest: [unable to recognize "": no matches for kind "Certificate" in version "cert-manager.io/v1", unable to recognize "": no matches for kind "Issuer" in version "cert-manager.io/v1"]',
      storageSecret: 'sh.helm.release.v1.jaeger-op.v2',
    };
    const input: SnapshotInput = {
      helmReleases: [{ ...good!, name: 'jaeger-op', status: 'deployed' }, broken],
      apiGroups: ['', 'apps', 'batch'],
    };
    const [f] = diagnose(input);
    expect(f!.explanation).toContain(
      'The chart creates kinds the cluster does not serve: Certificate (cert-manager.io/v1), Issuer (cert-manager.io/v1)',
    );

    const { findings } = runRules([rule, missingGroup], new Snapshot(input), { now: NOW });
    const cause = findings.find((x) => x.ruleId === 'crds/missing-api-group')!;
    const symptom = findings.find((x) => x.ruleId === 'helm/release-status')!;
    expect(symptom.causedBy).toEqual([cause.id]);
  });
});

describe('helm/release-status — pending', () => {
  it('calls a release pending for two hours stuck, says why it is locked and how to unlock it', () => {
    const [f] = diagnose({ helmReleases: pendingJaegerOp() });
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe('Helm release jaeger-op is stuck in pending-upgrade for 2 hours');
    expect(f!.explanation).toContain('the helm process most likely died mid-operation');
    expect(f!.explanation).toContain('"another operation (install/upgrade/rollback) is in progress"');
    expect(f!.explanation).toContain('`helm rollback jaeger-op 2 -n observability` goes back to revision 2');
    expect(f!.fixes.map((p) => p.id)).toEqual(['rollback-release', 'delete-pending-revision']);
    expect(f!.fixes[1]).toMatchObject({
      mutates: true,
      commands: ['kubectl delete secret sh.helm.release.v1.jaeger-op.v3 -n observability'],
      steps: [
        {
          action: 'delete',
          ref: { kind: 'Secret', namespace: 'observability', name: 'sh.helm.release.v1.jaeger-op.v3' },
        },
      ],
    });
  });

  it('is only a warning while the operation may still be running', () => {
    const [f] = diagnose({ helmReleases: pendingJaegerOp() }, Date.parse('2026-11-21T19:35:44Z'));
    expect(f!.severity).toBe('warning');
    expect(f!.title).toBe('Helm release jaeger-op is pending-upgrade for 3 minutes');
    expect(f!.explanation).toContain('A helm command may still be running');
    expect(f!.fixes.map((p) => p.id)).toEqual(['rollback-release']);
  });

  it('uninstalls a release stuck in pending-install', () => {
    const first = pendingJaegerOp()[0]!;
    const [f] = diagnose({
      helmReleases: [{ ...first, status: 'pending-install', description: 'Initial install underway' }],
    });
    expect(f!.title).toBe('Helm release jaeger-op is stuck in pending-install for 2 hours');
    expect(f!.fixes).toEqual([
      expect.objectContaining({ id: 'uninstall-release', commands: ['helm uninstall jaeger-op -n observability'] }),
    ]);
  });
});

describe('helm/release-status — not a finding', () => {
  it('ignores deployed, superseded and uninstalled releases, and older failed revisions', () => {
    const [good, bad] = failedJaeger();
    const fixed = { ...good!, revision: 3, status: 'deployed', storageSecret: 'sh.helm.release.v1.jaeger.v3' };
    expect(diagnose({ helmReleases: [good!, bad!, fixed] })).toEqual([]);
    expect(diagnose({ helmReleases: [{ ...good!, status: 'uninstalled' }] })).toEqual([]);
  });

  it('never throws on hostile releases', () => {
    const hostile = [
      { name: 'a', namespace: 'x', revision: 1, status: 'failed', storageSecret: 's' },
      {
        name: 'b',
        namespace: 'x',
        revision: 1,
        status: 'pending-upgrade',
        lastDeployed: 'yesterday',
        storageSecret: 's',
      },
      {
        name: 'c',
        namespace: 'x',
        revision: 2,
        status: 'failed',
        description: 'x'.repeat(1_000_000),
        storageSecret: 's',
      },
      { name: 'd', namespace: 'x', revision: 1, status: 42, storageSecret: 's' },
    ] as unknown as HelmRelease[];
    let findings: RawFinding[] = [];
    expect(() => {
      findings = diagnose({ helmReleases: hostile });
    }).not.toThrow();
    expect(findings.map((f) => f.subject.name)).toEqual(['a', 'b', 'c']);
    for (const f of findings) expect(f.explanation.length).toBeLessThan(3000);
  });
});
