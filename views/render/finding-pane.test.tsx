import { describe, expect, it } from 'vitest';
import { NOW, collectorFinding, esFinding, pullFinding } from '../testing/fixtures.js';
import { findingPaneLines } from './finding-pane.js';

describe('findingPaneLines', () => {
  it('says what happened, why (the chain to the root), the evidence with its source, and the fix', () => {
    const lines = findingPaneLines(collectorFinding, [esFinding], { width: 400, now: NOW, fixHint: '(x) fix' }).map(
      (l) => l.text,
    );
    expect(lines).toEqual([
      '▲ warning  Collector crashes because Elasticsearch is not ready',
      'observability/deployment/jaeger-collector · pods/crashloop',
      'jaeger-collector exits at start because it cannot reach elasticsearch-master:9200. It will recover once Elasticsearch is ready.',
      'Why: caused by',
      '  ← ● observability/statefulset/elasticsearch-master: 3 replicas with hard anti-affinity cannot fit on 1 node (root cause)',
      'Evidence',
      expect.stringMatching(/^ {2}• log on Pod observability\/jaeger-collector-6b7f9c8d5-x2x7k: \{"level":"fatal"/),
    ]);
  });

  it('labels events with reason, count and age, and status evidence with its field path', () => {
    const text = findingPaneLines(pullFinding, [], { width: 300, now: NOW, fixHint: '(x) fix' }).map((l) => l.text);
    expect(text).toContain(
      '  • event Failed ×4 2m ago on Pod observability/jaeger-op-jaeger-operator-7d7b58d48b-89p9p: Failed to pull image "jaegertracing/jaeger-operator:1.39.0": rpc error: code = Unknown desc = toomanyrequests: You have reached your pull rate limit.',
    );
    expect(text).toContain(
      '  • status status.containerStatuses[0].state.waiting.message on Pod observability/jaeger-op-jaeger-operator-7d7b58d48b-89p9p: Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"',
    );
    expect(text).toContain('  1. Create regcred and add it to the default ServiceAccount');
    expect(text.some((l) => l.startsWith('     $ kubectl create secret docker-registry regcred'))).toBe(true);
    expect(text.at(-1)).toBe('(x) fix');
  });

  it('wraps to the pane width', () => {
    const lines = findingPaneLines(esFinding, [], { width: 40, now: NOW, fixHint: '(x) fix' });
    expect(lines.every((l) => l.text.length <= 40)).toBe(true);
    expect(lines[0]).toEqual({ text: '● critical  3 replicas with hard', style: 'critical', bold: true });
  });
});
