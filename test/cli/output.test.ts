import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/diagnose/engine.js';
import type { Rule } from '../../src/diagnose/types.js';
import { Snapshot } from '../../src/store/snapshot.js';
import { buildReport, exitCodeFor } from '../../src/cli/output/report.js';
import { renderText } from '../../src/cli/output/text.js';
import { renderMarkdown } from '../../src/cli/output/markdown.js';
import { renderJunit } from '../../src/cli/output/junit.js';
import { formatReport, writeReport } from '../../src/cli/diagnose.js';
import type { GlobalFlags } from '../../src/cli/flags.js';
import { ansi, chooseStyle, plain } from '../../src/format/style.js';
import { inert } from '../../src/format/inert.js';
import { terminalControls } from '../helpers/hostile.js';
import { descendants, parseXml } from '../helpers/xml.js';

const now = Date.parse('2026-11-21T12:00:00Z');
const ns = 'observability';
const rule: Rule = {
  id: 'test/demo',
  title: 'demo',
  diagnose: () => [
    {
      ruleId: 'test/demo',
      severity: 'critical',
      subject: { kind: 'StatefulSet', namespace: ns, name: 'elasticsearch-master' },
      objects: [{ kind: 'StatefulSet', namespace: ns, name: 'elasticsearch-master' }],
      explains: [{ kind: 'Deployment', namespace: ns, name: 'jaeger-collector' }],
      title: 'Elasticsearch asks for 3 replicas on 1 node',
      explanation: 'Three pods must each sit on a different node. There is one node.',
      evidence: [
        {
          source: 'event',
          reason: 'FailedScheduling',
          ref: { kind: 'Pod', namespace: ns, name: 'elasticsearch-master-1' },
          text: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
          count: 12,
          at: '2026-11-21T11:58:00Z',
        },
      ],
      fixes: [
        {
          id: 'helm-values',
          title: 'Run one Elasticsearch node',
          explanation: 'Set the replicas to the node count.',
          commands: [
            'helm upgrade jaeger jaegertracing/jaeger -n observability --reuse-values --set elasticsearch.replicas=1',
          ],
          steps: [{ action: 'manual', description: 'x' }],
          mutates: true,
        },
      ],
    },
    {
      ruleId: 'test/demo',
      severity: 'warning',
      subject: { kind: 'Deployment', namespace: ns, name: 'jaeger-collector' },
      objects: [{ kind: 'Deployment', namespace: ns, name: 'jaeger-collector' }],
      title: 'jaeger-collector restarts: Elasticsearch is not ready',
      explanation: 'It crashes while its database is down.',
      evidence: [{ source: 'log', text: 'no Elasticsearch node available' }],
      fixes: [],
    },
  ],
};

const { findings } = runRules([rule], new Snapshot({ namespace: ns, takenAt: now }));
const report = buildReport(findings, {
  now,
  context: 'minikube',
  cluster: 'minikube',
  namespace: ns,
  notes: ['nodes: forbidden'],
});

describe('report', () => {
  it('orders roots before their symptoms and counts them', () => {
    expect(report.findings.map((f) => [f.root, f.severity])).toEqual([
      [true, 'critical'],
      [false, 'warning'],
    ]);
    expect(report.findings[0]!.symptoms).toEqual([report.findings[1]!.id]);
    expect(report.summary).toEqual({ critical: 1, warning: 1, info: 0, rootCauses: 1, total: 2 });
    expect(report.schemaVersion).toBe(1);
  });

  it('exits by --fail-on', () => {
    expect(exitCodeFor(report, 'warning')).toBe(1);
    expect(exitCodeFor(report, 'critical')).toBe(1);
    expect(exitCodeFor(report, 'never')).toBe(0);
    const onlyWarning = { ...report, summary: { ...report.summary, critical: 0 } };
    expect(exitCodeFor(onlyWarning, 'critical')).toBe(0);
    expect(exitCodeFor(buildReport([], { now }), 'warning')).toBe(0);
  });
});

describe('json output', () => {
  it('is written in batches, each after the stream drained, and reads as formatReport', async () => {
    const lead = report.findings[0]!;
    const big = {
      ...report,
      findings: Array.from({ length: 200 }, (_, i) => ({
        ...lead,
        id: `f${i}`,
        explanation: `${'x'.repeat(1000)} — `,
      })),
    };
    const flags = { output: 'json' } as GlobalFlags;
    const writes: string[] = [];
    let buffered = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        buffered = out.writableLength;
        writes.push(chunk.toString());
        setImmediate(done);
      },
    });
    await writeReport(big, flags, out as unknown as NodeJS.WriteStream);
    expect(writes.join('')).toBe(formatReport(big, flags, out as unknown as NodeJS.WriteStream));
    expect(writes.length).toBeGreaterThan(2);
    // Never more than one batch waits in the stream: the next is built only after a drain.
    expect(buffered).toBeLessThan(2 * 64 * 1024);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(64 * 1024 + 2000);
  });
});

describe('text output', () => {
  const text = renderText(report, { style: plain, width: 100, now });
  it('shows the root in full with evidence, fix commands and its symptoms folded under it', () => {
    expect(text).toContain('✖ CRITICAL  Elasticsearch asks for 3 replicas on 1 node');
    expect(text).toContain(
      '• event FailedScheduling ×12 2m ago on Pod observability/elasticsearch-master-1: 0/1 nodes are',
    );
    expect(text).toContain(
      '$ helm upgrade jaeger jaegertracing/jaeger -n observability --reuse-values --set elasticsearch.replicas=1',
    );
    expect(text).toContain('Caused by this (1):');
    expect(text).toContain('└ ▲ WARNING jaeger-collector restarts: Elasticsearch is not ready');
    expect(text).toContain('note: nodes: forbidden');
  });
  it('has no escape codes without colour, and has them with it', () => {
    expect(text).not.toMatch(/\u001b\[/);
    expect(renderText(report, { style: ansi, width: 100, now })).toMatch(/\u001b\[31m/);
  });
  it('says so when healthy', () => {
    expect(renderText(buildReport([], { now }), { style: plain, width: 80, now })).toContain('No problems found.');
  });
});

describe('markdown output', () => {
  it('renders sections, evidence and commands in code blocks', () => {
    const md = renderMarkdown(report, now);
    expect(md).toMatch(/^# kcockpit diagnosis: namespace `observability`/);
    expect(md).toContain('## 🔴 Elasticsearch asks for 3 replicas on 1 node');
    expect(md).toContain('```sh\nhelm upgrade jaeger');
    expect(md).toContain('| warning | jaeger-collector restarts: Elasticsearch is not ready |');
  });
});

// Every string field of a report carries something hostile: the writers must let none act.
const EVIL = '\u001b]0;pwned\u0007\u001b[2J\u009b1m\u202e\r<b>x</b> [a](http://e.example/) `t` | &amp; *e* _u_';
function hostileReport() {
  const ref = { kind: 'Pod', namespace: ns, name: `web-0${EVIL}` };
  const evil: Rule = {
    id: 'test/evil',
    title: 'evil',
    diagnose: () => [
      {
        ruleId: 'test/evil',
        severity: 'critical',
        subject: ref,
        objects: [ref],
        title: `title ${EVIL}`,
        explanation: `explanation ${EVIL}\nsecond line`,
        evidence: [{ source: 'event', reason: `Reason${EVIL}`, ref, text: `text ${EVIL}`, at: '2026-11-21T11:58:00Z' }],
        fixes: [
          {
            id: 'p',
            title: `fix ${EVIL}`,
            explanation: `why ${EVIL}`,
            commands: [`kubectl delete pod 'web-0${EVIL}'`, 'echo ```'],
            steps: [],
            mutates: false,
          },
        ],
      },
    ],
  };
  const { findings: found } = runRules([evil], new Snapshot({ namespace: ns, takenAt: now }));
  return buildReport(found, { now, context: `ctx\`${EVIL}`, cluster: 'c', namespace: ns, notes: [`note ${EVIL}`] });
}

describe('hostile strings in every field of the report', () => {
  const bad = hostileReport();
  it('text: nothing acts on the terminal, with or without colour', () => {
    expect(terminalControls(Buffer.from(renderText(bad, { style: plain, width: 100, now })))).toEqual([]);
    const coloured = renderText(bad, { style: ansi, width: 100, now }).replace(/\u001b\[\d+m/g, '');
    expect(terminalControls(Buffer.from(coloured))).toEqual([]);
    expect(coloured).toContain(String.raw`title \x1b]0;pwned\x07\x1b[2J\x9b1m\u202e\x0d<b>`);
  });

  it('markdown: no HTML, link, emphasis or code span opens, and commands stay in their fence', () => {
    const md = renderMarkdown(bad, now);
    expect(terminalControls(Buffer.from(md))).toEqual([]);
    expect(md).toContain(
      String.raw`title \\x1b\]0;pwned\\x07\\x1b\[2J\\x9b1m\\u202e\\x0d\<b\>x\</b\> \[a\](http://e.example/) \`t\` \| \&amp; \*e\* \_u\_`,
    );
    // A backtick in the context cannot close its code span early: the fence is longer.
    expect(md).toMatch(/\(context ``ctx`\\x1b/);
    // The command block's fence is longer than the ``` a command holds.
    expect(md).toContain("````sh\nkubectl delete pod 'web-0");
    expect(md).toContain('echo ```\n````');
  });

  it('junit: well-formed, the markup escaped as XML', () => {
    const xml = renderJunit(bad, { now, failOn: 'warning' });
    expect(terminalControls(Buffer.from(xml))).toEqual([]);
    const root = parseXml(xml);
    const failure = descendants(root, 'failure')[0]!;
    // The attribute reads back as exactly the inert title: every XML special character escaped.
    expect(failure.attrs['message']).toBe(inert(`title ${EVIL}`));
    expect(failure.text).toContain('echo ```');
  });
});

describe('junit output', () => {
  it('puts cluster-scoped findings in their own suite, first, and namespaces by name', () => {
    const at = (kind: string, name: string, namespace?: string) => ({
      kind,
      name,
      ...(namespace ? { namespace } : {}),
    });
    const spread: Rule = {
      id: 'test/spread',
      title: 'spread',
      diagnose: () =>
        [at('Pod', 'b', 'zeta'), at('Node', 'n1'), at('Pod', 'a', 'alpha')].map((ref) => ({
          ruleId: 'test/spread',
          severity: 'info' as const,
          subject: ref,
          objects: [ref],
          title: `about ${ref.name}`,
          explanation: '',
          evidence: [],
          fixes: [],
        })),
    };
    const { findings: found } = runRules([spread], new Snapshot({ takenAt: now }));
    const root = parseXml(renderJunit(buildReport(found, { now }), { now, failOn: 'warning' }));
    const suites = descendants(root, 'testsuite');
    expect(suites.map((s) => [s.attrs['name'], s.attrs['tests'], s.attrs['failures']])).toEqual([
      ['(cluster)', '1', '0'],
      ['alpha', '1', '0'],
      ['zeta', '1', '0'],
    ]);
    // Below --fail-on: a passing case that still carries the finding.
    expect(descendants(suites[0]!, 'system-out')[0]!.text).toContain('Node n1 · test/spread');
  });

  it('reports a healthy cluster as one passing test, not as an empty report', () => {
    const root = parseXml(renderJunit(buildReport([], { now, namespace: ns }), { now, failOn: 'warning' }));
    expect(root.attrs).toMatchObject({ tests: '1', failures: '0' });
    expect(descendants(root, 'testsuite').map((s) => s.attrs['name'])).toEqual([ns]);
    expect(descendants(root, 'testcase')[0]!.attrs['name']).toBe('no problems found');
  });
});

describe('colour choice', () => {
  it('follows --color/--no-color, NO_COLOR, TERM=dumb and the TTY', () => {
    expect(chooseStyle(true, false, {}).enabled).toBe(true);
    expect(chooseStyle(false, true, {}).enabled).toBe(false);
    expect(chooseStyle(undefined, true, { NO_COLOR: '1' }).enabled).toBe(false);
    expect(chooseStyle(undefined, true, { NO_COLOR: '' }).enabled).toBe(true);
    expect(chooseStyle(undefined, true, { TERM: 'dumb' }).enabled).toBe(false);
    expect(chooseStyle(undefined, false, {}).enabled).toBe(false);
    expect(chooseStyle(undefined, true, {}).enabled).toBe(true);
  });
});
