import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Header, connectionText } from './Header.js';
import { tick } from '../testing/ink.js';

const context = { name: 'minikube', cluster: 'minikube', user: 'minikube' };

describe('Header', () => {
  it('shows where you are, what was found and the connection', async () => {
    const app = render(
      <Header
        context={context}
        namespace="observability"
        connection={{ state: 'live' }}
        counts={{ critical: 2, warning: 1, info: 4 }}
        version="0.1.0"
        readonly={false}
        width={100}
      />,
    );
    await tick();
    expect(app.lastFrame()).toBe(
      'kcockpit 0.1.0  ctx minikube │ cluster minikube │ user minikube\nns observability  ● 2 critical  ▲ 1 warning  ● live',
    );
  });

  it('says all namespaces, no problems, and read-only mode', async () => {
    const app = render(
      <Header
        context={context}
        namespace={undefined}
        connection={{ state: 'connecting' }}
        counts={{ critical: 0, warning: 0, info: 0 }}
        version="0.1.0"
        readonly={true}
        width={100}
      />,
    );
    await tick();
    expect(app.lastFrame()?.split('\n')[1]).toBe('ns all  [readonly]  no problems found  ○ connecting…');
  });

  it('words every connection state with a glyph, not only a colour', () => {
    expect(connectionText({ state: 'reconnecting', reason: 'watch closed', since: 0 })).toEqual({
      text: '◐ reconnecting: watch closed',
      style: 'warning',
    });
    expect(connectionText({ state: 'forbidden', reason: 'cannot list pods' })).toEqual({
      text: '✖ forbidden: cannot list pods',
      style: 'critical',
    });
    expect(connectionText({ state: 'error', reason: 'connect ECONNREFUSED 127.0.0.1:6443' })).toEqual({
      text: '✖ error: connect ECONNREFUSED 127.0.0.1:6443',
      style: 'critical',
    });
    expect(connectionText({ state: 'live', polling: { resources: ['pods', 'events'], everyMs: 2000 } })).toEqual({
      text: '● live, polling pods, events every 2s (no watch permission)',
      style: 'warning',
    });
  });
});
