// Start the whole cockpit on scenario S1 in a fake terminal, for tests that drive it with keys.
import React from 'react';
import { vi } from 'vitest';
import { render } from 'ink-testing-library';
import type { Finding } from '../../src/diagnose/types.js';
import { App, type AppProps } from '../App.js';
import { themeFor } from '../theme.js';
import { FixedFindings, FixedSource, NOW, findings, scenarioSnapshot } from './fixtures.js';
import { resize, waitForFrame } from './ink.js';

export interface StartOptions extends Partial<AppProps> {
  columns?: number;
  rows?: number;
  /** What the diagnosis found, when `findings` is not given; S1's findings by default. */
  found?: Finding[];
}

export async function startApp({ columns = 100, rows = 30, found = findings, ...props }: StartOptions = {}) {
  const onExit = vi.fn();
  const app = render(
    <App
      source={new FixedSource(scenarioSnapshot())}
      findings={new FixedFindings(found)}
      context={{ name: 'minikube', cluster: 'minikube', user: 'minikube' }}
      version="0.1.0"
      readonly={false}
      onExit={onExit}
      theme={themeFor('none')}
      now={() => NOW}
      {...props}
    />,
  );
  await resize(app, columns, rows);
  await waitForFrame(app, (f) => f.includes('kcockpit'));
  return { app, onExit };
}

export const screenLines = (f: string) => f.split('\n');
