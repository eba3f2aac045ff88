// The cockpit's components draw cluster text: none of it may act on the terminal (decision
// 0013). Each component here is given text that carries escape sequences, C1 controls, a
// bidi override and a carriage return, and its frame must show them written out.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { KubeEvent } from '../../src/model/k8s.js';
import { terminalControls } from '../../test/helpers/hostile.js';
import { describeLines, eventLines } from '../render/describe.js';
import { diffLine } from '../render/dialog.js';
import { eventColumns, eventRow } from '../render/events.js';
import { ThemeContext, themeFor } from '../theme.js';
import { NOW, esFinding, events, operatorPod, scenarioSnapshot } from '../testing/fixtures.js';
import { tick } from '../testing/ink.js';
import { Dialog } from './Dialog.js';
import { FindingPane } from './FindingPane.js';
import { Header } from './Header.js';
import { ScrollText, wrapLines } from './ScrollText.js';
import { StatusBar } from './StatusBar.js';
import { Table } from './Table.js';

const EVIL = 'a\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b2J\u0085\u202eevil\rover\u0008b';
const SHOWN = String.raw`a\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b2J\x85\u202eevil\x0dover\x08b`;

afterEach(() => cleanup());

async function frameOf(node: React.ReactElement): Promise<string> {
  const app = render(<ThemeContext.Provider value={themeFor('16')}>{node}</ThemeContext.Provider>);
  await tick();
  return app.lastFrame() ?? '';
}

/** The frame holds no control a terminal would obey, and `expected` shows, written out. */
function expectInert(frame: string, expected = SHOWN): void {
  expect(terminalControls(Buffer.from(frame.replace(/\u001b\[[0-9;]*m/g, '')))).toEqual([]);
  expect(frame.replace(/\s+/g, '')).toContain(expected.replace(/\s+/g, ''));
}

const hostileEvent: KubeEvent = { ...events[0]!, message: EVIL, reason: 'Failed' };

describe('cluster text in the cockpit', () => {
  it('the table: cells and title', async () => {
    const columns = eventColumns(false);
    const frame = await frameOf(
      <Table
        title={`events(${EVIL})`}
        columns={columns}
        rows={[hostileEvent]}
        renderRow={(e) => eventRow(e, { now: NOW, allNamespaces: false })}
        cursor={0}
        width={400}
        height={5}
      />,
    );
    expectInert(frame);
    expect(frame).toContain(String.raw`events(a\x1b]0;pwned`);
  });

  it('describe: an annotation and an event message, wrapped into the scrolling text', async () => {
    const pod = { ...operatorPod, metadata: { ...operatorPod.metadata, annotations: { note: EVIL } } };
    const snapshot = scenarioSnapshot({ pods: [pod], events: [hostileEvent] });
    const lines = describeLines(
      snapshot,
      { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name },
      NOW,
    );
    const shown = wrapLines([...lines, ...eventLines([hostileEvent], NOW)], 300);
    const frame = await frameOf(
      <ScrollText title={`describe ${EVIL}`} lines={shown} top={0} width={300} height={200} />,
    );
    expectInert(frame);
    expect(frame).toContain(String.raw`note=a\x1b]0;pwned`);
  });

  it('the header: names from a kubeconfig and a reconnect reason from the server', async () => {
    const frame = await frameOf(
      <Header
        context={{ name: EVIL, cluster: EVIL, user: EVIL }}
        namespace={EVIL}
        connection={{ state: 'reconnecting', reason: EVIL }}
        counts={{ critical: 1, warning: 0, info: 0 }}
        version="0.1.0"
        readonly={false}
        width={400}
      />,
    );
    expectInert(frame);
  });

  it('the status bar: a flash quoting an API error', async () => {
    expectInert(await frameOf(<StatusBar flash={{ kind: 'error', text: EVIL }} hints="" />));
  });

  it('a dialog: its title, lines and a diff of an object', async () => {
    const frame = await frameOf(
      <Dialog
        view={{
          title: `Delete ${EVIL}?`,
          body: [{ text: EVIL }, diffLine(`+  note: ${EVIL}`)],
          top: 0,
          footer: [{ text: EVIL }],
          hints: '',
        }}
        width={300}
        height={12}
      />,
    );
    expectInert(frame);
  });

  it('the finding pane: title, explanation and evidence', async () => {
    const finding = {
      ...esFinding,
      title: EVIL,
      explanation: EVIL,
      evidence: [{ source: 'log' as const, text: EVIL }],
    };
    const frame = await frameOf(
      <FindingPane
        finding={finding}
        chain={[]}
        width={300}
        height={20}
        now={NOW}
        fixHint=""
        moreHint=""
        emptyText=""
      />,
    );
    expectInert(frame);
  });
});
