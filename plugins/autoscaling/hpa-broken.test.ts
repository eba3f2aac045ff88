import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './hpa-broken.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { HorizontalPodAutoscaler, Workload } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-12-03T09:00:00Z');
const hpa = () => fixture<HorizontalPodAutoscaler>('autoscaling/hpa-web-missing-request.json');

function deployment(name: string): Workload {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', uid: `${name}-uid` },
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: 'web', image: 'registry.example.com/shop/web:2.4.0' }] } },
    },
  };
}

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

const scalingActive = (h: HorizontalPodAutoscaler, reason: string, message: string, at = '2026-12-03T08:20:15Z') => {
  h.status!.conditions = h.status!.conditions!.map((c) =>
    c.type === 'ScalingActive' ? { ...c, reason, message, lastTransitionTime: at } : c,
  );
  return h;
};

describe('autoscaling/hpa-broken', () => {
  it('a utilization target over a container without a request', () => {
    const findings = diagnose({ horizontalPodAutoscalers: [hpa()], deployments: [deployment('web')] });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe('autoscaling/hpa-broken:shop/HorizontalPodAutoscaler/web#metrics');
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('horizontalpodautoscaler/web cannot compute cpu utilization: container web requests no cpu');
    expect(f.evidence![0]).toEqual({
      source: 'status',
      ref: { kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'shop' },
      path: 'status.conditions[type=ScalingActive].message',
      text: 'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container web of Pod web-7c9d8f6b5-k2x8q',
    });
    expect(f.fixes![0]!.commands).toContain(
      'kubectl set resources deployment/web -n shop -c web --requests=cpu=<amount>',
    );
  });

  it('no metrics-server: says the API group is not served', () => {
    const h = scalingActive(
      hpa(),
      'FailedGetResourceMetric',
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
    );
    const [f] = diagnose({ horizontalPodAutoscalers: [h], deployments: [deployment('web')], apiGroups: ['', 'apps'] });
    expect(f!.title).toBe('horizontalpodautoscaler/web cannot read metrics: metrics-server is not installed');
    expect(f!.fixes!.map((p) => p.id)).toEqual(['install-metrics-server']);
    const [unknown] = diagnose({
      horizontalPodAutoscalers: [h],
      deployments: [deployment('web')],
      forbidden: ['discovery'],
    });
    expect(unknown!.explanation).toContain('could not check whether metrics-server is installed');
  });

  it('a scale target that does not exist, with the nearest name and a patch to it', () => {
    const h = hpa();
    h.spec.scaleTargetRef.name = 'wbe';
    h.status!.conditions = [
      {
        type: 'AbleToScale',
        status: 'False',
        lastTransitionTime: '2026-12-03T08:20:15Z',
        reason: 'FailedGetScale',
        message: `the HPA controller was unable to get the target's current scale: deployments/scale.apps "wbe" not found`,
      },
    ];
    const [f] = diagnose({ horizontalPodAutoscalers: [h], deployments: [deployment('web'), deployment('worker')] });
    expect(f!.id).toBe('autoscaling/hpa-broken:shop/HorizontalPodAutoscaler/web#target');
    expect(f!.title).toBe('horizontalpodautoscaler/web scales Deployment wbe, which does not exist');
    expect(f!.explanation).toContain('did you mean web?');
    expect(f!.evidence![0]!.text).toContain('deployments/scale.apps "wbe" not found');
    expect(f!.fixes![0]!.steps).toEqual([
      {
        action: 'json-patch',
        ref: { kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'shop' },
        patch: [
          { op: 'test', path: '/spec/scaleTargetRef/name', value: 'wbe' },
          { op: 'replace', path: '/spec/scaleTargetRef/name', value: 'web' },
        ],
        description: 'Set scaleTargetRef.name of web to web.',
      },
    ]);
  });

  it('as a namespace-only user who may not list Deployments, trusts the FailedGetScale condition', () => {
    const h = hpa();
    h.status!.conditions = [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: 'x' }];
    expect(diagnose({ horizontalPodAutoscalers: [h], forbidden: ['deployments'] })).toHaveLength(1);
    expect(diagnose({ horizontalPodAutoscalers: [hpa()], forbidden: ['deployments'] })).toHaveLength(1);
  });

  it('is quiet when healthy, right after the condition turned, and when scaled to zero on purpose', () => {
    const healthy = scalingActive(
      hpa(),
      'ValidMetricFound',
      'the HPA was able to successfully calculate a replica count',
    );
    healthy.status!.conditions = healthy.status!.conditions!.map((c) => ({ ...c, status: 'True' }));
    expect(diagnose({ horizontalPodAutoscalers: [healthy], deployments: [deployment('web')] })).toEqual([]);
    const fresh = scalingActive(hpa(), 'FailedGetResourceMetric', 'did not receive metrics', '2026-12-03T08:58:00Z');
    expect(diagnose({ horizontalPodAutoscalers: [fresh], deployments: [deployment('web')] })).toEqual([]);
    const disabled = scalingActive(
      hpa(),
      'ScalingDisabled',
      'scaling is disabled since the replica count of the target is zero',
    );
    expect(diagnose({ horizontalPodAutoscalers: [disabled], deployments: [deployment('web')] })).toEqual([]);
  });
});
