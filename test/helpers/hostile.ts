// A cluster that attacks the terminal reading it (S4, decision 0013). The free text that
// rules and views quote — container status and event messages, log lines, a Helm release
// description, an annotation — carries escape sequences: an OSC title change, a clear
// screen, colours, C1 controls, a bidi override, a carriage return. One event message is
// 900 KB; a crashed container's log holds bytes that are not UTF-8; a Helm release Secret
// holds garbage. A rule plugin quotes every warning event whole, as a careless user rule
// would, so the output's own limits are what stands between 900 KB and the screen.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeEvent, KubeObject, Pod } from '../../src/model/k8s.js';
import { loadScenario, type Scenario } from '../../src/sim/scenario.js';

/** OSC 0 (window title), clear screen, red, reset, C1 CSI, C1 NEL, RLO, CR, BS, NUL, DEL. */
export const ESCAPES =
  '\u001b]0;kcockpit-pwned\u0007\u001b[2J\u001b[31mRED\u001b[0m\u009b2J\u0085\u202eevil\rover\u0008\u0000\u007f';
export const TITLE_ATTACK = 'kcockpit-pwned';
/** What would open HTML, a link, an image or a code span in rendered Markdown, or split a table cell. */
export const MARKUP =
  '<img src=x onerror=alert(1)> [click](https://evil.example/) ![i](https://evil.example/i.png) `tick` a|b &lt;';
export const HUGE_LENGTH = 900 * 1024;

/** Latin-1 `café`, a lone 0x9b (CSI in 8-bit terminals), a cut UTF-8 sequence, ESC[2J, and UTF-8 U+009B. */
export const NOT_UTF8 = Buffer.concat([
  Buffer.from('caf\u00e9 ', 'latin1'),
  Buffer.from([0x9b, 0x32, 0x4a, 0x20, 0xe2, 0x82, 0x20, 0x1b, 0x5b, 0x32, 0x4a, 0x20, 0xc2, 0x9b, 0x20]),
  Buffer.from('end of garbage'),
]);

const NS = 'shop';
const CHECKOUT_POD = 'checkout-7d4f8b9c6-w2hjs';
const ORDERS_POD = 'orders-api-6c5d4b8f9-x7kzp';

function events(s: Scenario, pod: string, reason: string): KubeEvent[] {
  return s.objects.filter(
    (o): o is KubeEvent =>
      o.kind === 'Event' && (o as KubeEvent).involvedObject.name === pod && (o as KubeEvent).reason === reason,
  );
}

/** S2 with hostile text in every field a rule quotes (see the file comment). */
export function hostileScenario(): Scenario {
  const s = loadScenario('s2-pending');
  s.name = 'hostile';
  const checkout = s.objects.find((o): o is Pod => o.kind === 'Pod' && o.metadata.name === CHECKOUT_POD)!;
  checkout.metadata.annotations = {
    ...checkout.metadata.annotations,
    'example.com/note': `left by a tenant ${ESCAPES}`,
  };
  checkout.status!.containerStatuses![0]!.state = {
    waiting: { reason: 'CreateContainerConfigError', message: `configmap "app-config" not found ${ESCAPES}` },
  };
  for (const e of events(s, CHECKOUT_POD, 'Failed'))
    e.message = `Error: configmap "app-config" not found ${ESCAPES} ${MARKUP}`;
  for (const e of events(s, ORDERS_POD, 'Unhealthy')) e.message = `${e.message} ${ESCAPES}`;
  const huge = events(s, CHECKOUT_POD, 'Pulled')[0]!;
  huge.type = 'Warning';
  huge.reason = 'Flood';
  huge.message = `a 900 KB message ${ESCAPES} ${'x'.repeat(HUGE_LENGTH)}`;
  const failed = s.helmReleases.find((r) => r.status === 'failed')!;
  failed.description = `${failed.description} ${ESCAPES} ${MARKUP}`;
  const log = s.logs[`${NS}/${ORDERS_POD}/orders-api`]!;
  log.previous = [
    ...(log.previous ?? []),
    `2026-11-21T09:15:22Z ERROR GET /healthz 500 ${ESCAPES}`,
    { base64: NOT_UTF8.toString('base64') },
  ];
  const garbage: KubeObject & { type: string; data: Record<string, string> } = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'sh.helm.release.v1.broken.v1',
      namespace: NS,
      labels: { owner: 'helm', name: 'broken', status: 'deployed', version: '1' },
    },
    type: 'helm.sh/release.v1',
    // Secret data is base64 of helm's own base64: here, of bytes that are neither gzip nor JSON.
    data: {
      release: Buffer.from(
        Buffer.concat([Buffer.from([0x02, 0x1b]), Buffer.from('[2J'), NOT_UTF8]).toString('base64'),
      ).toString('base64'),
    },
  };
  s.objects.push(garbage);
  return s;
}

/** A rule plugin that quotes every warning event and every Helm description whole. */
export function quotingPluginDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kcockpit-quoting-plugin-'));
  writeFileSync(
    join(dir, 'quote-all.mjs'),
    `export const rule = {
  id: 'test/quote-all',
  title: 'Quotes cluster text whole',
  diagnose(ctx) {
    const out = [];
    for (const e of ctx.snapshot.events) {
      if (e.type !== 'Warning') continue;
      const ref = { kind: e.involvedObject.kind, namespace: e.metadata.namespace, name: e.involvedObject.name };
      out.push({
        ruleId: 'test/quote-all', severity: 'warning', subject: ref, objects: [ref],
        id: 'test/quote-all:' + e.metadata.name,
        title: e.message, explanation: e.message,
        evidence: [{ source: 'event', reason: e.reason, ref, text: e.message }],
        fixes: [{ id: 'say', title: e.reason, explanation: e.message, commands: ['echo ' + e.message], steps: [], mutates: false }],
      });
    }
    for (const r of ctx.snapshot.helmReleases) {
      const ref = { kind: 'HelmRelease', namespace: r.namespace, name: r.name };
      out.push({
        ruleId: 'test/quote-all', severity: 'info', subject: ref, objects: [ref],
        id: 'test/quote-all:helm/' + r.name + '/' + r.revision,
        title: r.description ?? '', explanation: r.description ?? '', evidence: [], fixes: [],
      });
    }
    return out;
  },
};
`,
  );
  return dir;
}

/**
 * What a terminal would act on, as `U+XXXX at offset`: C0 controls other than a newline,
 * DEL, C1 controls and the bidi embeddings, overrides and isolates. The bytes must also be
 * valid UTF-8 (TextDecoder throws otherwise).
 */
export function terminalControls(bytes: Uint8Array): string[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const found: string[] = [];
  let offset = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (
      (cp < 0x20 && cp !== 0x0a) ||
      (cp >= 0x7f && cp <= 0x9f) ||
      (cp >= 0x202a && cp <= 0x202e) ||
      (cp >= 0x2066 && cp <= 0x2069)
    )
      found.push(`U+${cp.toString(16).padStart(4, '0')} at ${offset}`);
    offset += ch.length;
  }
  return found;
}
