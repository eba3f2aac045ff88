// Issue #9's daily actions as a person does them, keys only, in the real binary against the
// simulator: scale a Deployment (the count asked, previewed, dry-run, confirmed), edit one in
// $EDITOR (a script that asks on the terminal for the label to add) and see the change, a
// shell into a container (kubectl exec -it through the cockpit; a chooser for a pod with two
// containers) that runs `echo` and comes back to the cockpit, the same shell without kubectl
// (client-node's exec over the WebSocket), an attach to a container's main process (left with
// ctrl-c through kubectl, ctrl-p ctrl-q without it), and a node cordoned, uncordoned and drained
// with a PodDisruptionBudget that keeps one pod (the status line names it). The editor and the shell read the keys typed in the
// terminal: while they run, the cockpit must not read a single one (src/cli/stdin-handover.ts).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, Node, Pod, Workload } from '../../src/model/k8s.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

/** `/storage` in kube-system's pods: the storage-provisioner pod, alone and selected. */
async function selectStorageProvisioner(term: TmuxSession): Promise<void> {
  term.type('/storage');
  term.send('Enter');
  await term.waitFor((s) => /pods\(kube-system\) <\/storage> \[1\/1\]/.test(s), 'storage-provisioner selected');
}

/**
 * Back from a program the cockpit lent the terminal to, the cockpit reads keys again: the filter
 * goes, and j moves the cursor. The escape must land before the j: together they read as alt+j.
 */
async function keysWorkAgain(term: TmuxSession): Promise<void> {
  term.send('Escape');
  await term.waitFor((s) => /pods\(kube-system\) \[1\/\d+\]/.test(s), 'the filter gone');
  term.type('j');
  await term.waitFor((s) => /pods\(kube-system\) \[2\/\d+\]/.test(s), 'the cursor on the second pod');
}

const auditLog = (home: string): string => readFileSync(join(home, 'state', 'kcockpit', 'audit.log'), 'utf8');

describe('daily actions from the cockpit, keys only', () => {
  let sim: SimServer;
  let term: TmuxSession;
  let home: string;
  const stored = <T extends KubeObject>(kind: string, ns: string, name: string): T =>
    sim.state.get(sim.state.registry.forKind(kind)!, ns || undefined, name)!.obj as T;
  const podsOn = (node: string): Pod[] =>
    sim.state.objectsOf<Pod>('Pod').filter((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp);
  const writeUntilShown = (line: string) => logUntilShown(sim, term, line);

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0 });
    home = mkdtempSync(join(tmpdir(), 'kcockpit-home-'));
    // The "editor": asks on the terminal who edits, and adds that as a label under
    // metadata.labels (the first `  labels:` of the file), as a person in vi would type it.
    const editor = join(home, 'editor.sh');
    writeFileSync(
      editor,
      `#!/bin/sh\nprintf 'edited by? '\nread who\nsed -i "0,/^  labels:$/s//  labels:\\n    edited-by: $who/" "$1"\n`,
    );
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

  it('e opens $EDITOR, which reads what is typed; the diff, the dry run and the apply follow', async () => {
    term.type('e');
    await term.waitFor((s) => s.includes('edited by?') && !s.includes('deployments(observability)'), 'the editor');
    term.type('e2e');
    term.send('Enter');
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

  it('ctrl-c in the editor is the editor’s: the edit is cancelled and the cockpit stays', async () => {
    // An escape followed at once by a key reads as alt+key: let the escape land first.
    await term.waitFor((s) => /deployments\(observability\) <\/jaeger-query> \[1\/1\]/.test(s), 'the deployments');
    term.type('e');
    await term.waitFor((s) => s.includes('edited by?') && !s.includes('deployments(observability)'), 'the editor');
    term.send('C-c');
    await term.waitFor(
      (s) => s.includes('deployments(observability)') && s.includes('Edit cancelled: the editor'),
      'the cockpit, the edit cancelled',
    );
    expect(term.screen()).not.toContain('KCOCKPIT-EXIT');
    expect(stored('Deployment', 'observability', 'jaeger-query').metadata.labels?.['edited-by']).toBe('e2e');
  });

  it('s on a pod opens a shell in the container; echo runs; exit comes back to the cockpit', async () => {
    term.type(':pods kube-system');
    term.send('Enter');
    await selectStorageProvisioner(term);
    term.type('s');
    await term.waitFor((s) => /\/ #$/m.test(s) && !s.includes('pods(kube-system)'), 'the shell prompt');
    // Command after command: each Enter must reach the shell, none the cockpit.
    for (const word of ['one', 'two', 'three']) {
      term.type(`echo ${word}-from-$HOSTNAME`);
      term.send('Enter');
      await term.waitFor((s) => new RegExp(`^${word}-from-storage-provisioner`, 'm').test(s), `the echo of ${word}`);
    }
    term.type('exit');
    term.send('Enter');
    await term.waitFor((s) => /pods\(kube-system\) <\/storage> \[1\/1\]/.test(s), 'the cockpit again');
    expect(term.screen()).not.toContain('from-storage-provisioner');
    expect(auditLog(home)).toMatch(
      /"object":"Pod kube-system\/storage-provisioner container storage-provisioner","action":"exec sh","result":"session ended"/,
    );
    await keysWorkAgain(term);
  });

  it('s on a pod with two containers asks which; the shell runs in the one chosen', async () => {
    term.type(':pods observability');
    term.send('Enter');
    term.type('/jaeger-query');
    term.send('Enter');
    // Scaled to 3 above: any of its pods will do.
    await term.waitFor((s) => /pods\(observability\) <\/jaeger-query> \[1\/3\]/.test(s), 'a jaeger-query pod selected');
    term.type('s');
    await term.waitFor((s) => s.includes('Shell: which container of jaeger-query-'), 'the container chooser');
    expect(term.screen()).toMatch(/> jaeger-query\s.*\n.*jaeger-agent-sidecar/);
    // jaeger-query is crashing (nothing to exec in); its sidecar runs.
    term.type('j');
    term.send('Enter');
    await term.waitFor((s) => /\/ #$/m.test(s) && !s.includes('pods(observability)'), 'the shell prompt');
    term.type('echo in-$HOSTNAME');
    term.send('Enter');
    await term.waitFor((s) => /^in-jaeger-query-/m.test(s), 'the echo');
    term.send('C-d');
    await term.waitFor((s) => /pods\(observability\) <\/jaeger-query> \[1\/3\]/.test(s), 'the cockpit again');
  });

  it('a on a pod attaches to its main process: what it writes shows; ctrl-c comes back to the cockpit', async () => {
    term.type(':pods kube-system');
    term.send('Enter');
    await selectStorageProvisioner(term);
    term.type('a');
    await term.waitFor(
      (s) => s.includes("If you don't see a command prompt") && !s.includes('pods(kube-system)'),
      'kubectl attach',
    );
    expect(term.screen()).toContain('Unable to use a TTY - container storage-provisioner did not allocate one');
    await writeUntilShown('I1204 provisioned pvc-e2e');
    // No TTY in the container, so kubectl reads lines and ctrl-c is kubectl's, not the container's.
    term.send('C-c');
    await term.waitFor((s) => /pods\(kube-system\) <\/storage> \[1\/1\]/.test(s), 'the cockpit again');
    expect(term.screen()).not.toMatch(/pvc-e2e|Unable to use a TTY|try pressing enter/);
    expect(auditLog(home)).toMatch(
      /"object":"Pod kube-system\/storage-provisioner container storage-provisioner","action":"attach","result":"session ended"/,
    );
    await keysWorkAgain(term);
  });

  it(':no, then c cordons and u uncordons the node, each previewed and confirmed', async () => {
    term.type(':no');
    term.send('Enter');
    await term.waitFor((s) => /^>\s*minikube\s+Ready\s/m.test(s), 'the node list');
    term.type('c');
    await term.waitFor((s) => s.includes('Cordon node minikube') && s.includes('<enter> apply'), 'the cordon preview');
    expect(term.screen()).toMatch(/\+\s+unschedulable: true/);
    term.send('Enter');
    await term.waitFor((s) => /Dry run passed\. Apply 1 change/.test(s), 'the confirmation');
    term.type('y');
    await term.waitFor((s) => s.includes('applied 1 of 1 change'), 'the outcome');
    term.send('Enter');
    await term.waitFor((s) => /^>\s*minikube\s+Ready,SchedulingDisabled\s/m.test(s), 'the node cordoned');
    expect(stored<Node>('Node', '', 'minikube').spec?.unschedulable).toBe(true);
    term.type('u');
    await term.waitFor((s) => s.includes('Uncordon node minikube') && s.includes('<enter> apply'), 'the preview');
    term.send('Enter');
    await term.waitFor((s) => /Dry run passed\. Apply 1 change/.test(s), 'the confirmation');
    term.type('y');
    await term.waitFor((s) => s.includes('applied 1 of 1 change'), 'the outcome');
    term.send('Enter');
    await term.waitFor((s) => /^>\s*minikube\s+Ready\s/m.test(s), 'the node schedulable again');
    expect(stored<Node>('Node', '', 'minikube').spec?.unschedulable).toBeFalsy();
  });

  it('r drains the node through the eviction API: the pod a PodDisruptionBudget keeps stays, and is named', async () => {
    sim.api.create(sim.state.registry.forKind('PodDisruptionBudget')!, 'kube-system', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'coredns-pdb', namespace: 'kube-system' },
      spec: { minAvailable: 1, selector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    });
    term.type('r');
    await term.waitFor((s) => s.includes('Drain node minikube') && s.includes('<enter> apply'), 'the drain preview');
    const preview = term.screen();
    expect(preview).toMatch(/- evict Pod kube-system\/coredns-/);
    expect(preview).toMatch(/leave Pod kube-system\/kube-proxy-\w+ \(DaemonSet\)/);
    expect(preview).toMatch(/leave Pod kube-system\/etcd-minikube \(mirror pod\)/);
    term.send('Enter');
    await term.waitFor((s) => /Dry run passed\. Apply 1 change/.test(s), 'the confirmation');
    term.type('y');
    await term.waitFor((s) => /^│ applied 1 of 1 change: cordoned Node minikube/m.test(s), 'the outcome');
    const outcome = term.screen().replace(/│/g, '').replace(/\s+/g, ' ');
    expect(outcome).toMatch(
      /could not evict kube-system\/coredns-[\w-]+: Cannot evict pod as it would violate the pod's disruption budget\. The disruption budget coredns-pdb needs 1 healthy pods and has 1 currently/,
    );
    const left = podsOn('minikube');
    expect(left.some((p) => p.metadata.name.startsWith('coredns-'))).toBe(true);
    expect(left.some((p) => p.metadata.name === 'elasticsearch-master-0')).toBe(false);
    expect(stored<Node>('Node', '', 'minikube').spec?.unschedulable).toBe(true);
    term.send('Enter');
    // The status line says the drain was partial, and which pod stayed.
    await term.waitFor(
      (s) =>
        /Applied: Drain node minikube except 1 pod kept by a PodDisruptionBudget: kube-system\/coredns-[\w-]+\./.test(
          s,
        ),
      'the partial drain on the status line',
    );
    // Enter on the node: the pods it still runs, in every namespace.
    term.send('Enter');
    await term.waitFor((s) => /pods\(all\) › node\/minikube \[1\/\d+\]/.test(s), 'its pods');
    expect(term.screen()).toMatch(/coredns-/);
    expect(term.screen()).not.toMatch(/elasticsearch-master-0/);
  });
});

/** storage-provisioner writes `line` now and then until the attached terminal shows it. */
async function logUntilShown(sim: SimServer, term: TmuxSession, line: string): Promise<void> {
  for (let i = 0; i < 100 && !term.screen().includes(line); i++) {
    sim.state.logs.append('kube-system', 'storage-provisioner', 'storage-provisioner', line);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(term.screen()).toContain(line);
}

describe('a shell without kubectl: client-node exec over the WebSocket', () => {
  let sim: SimServer;
  let term: TmuxSession;
  let home: string;

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0 });
    home = mkdtempSync(join(tmpdir(), 'kcockpit-home-'));
    // A PATH with a shell and nothing else: no kubectl to find.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const env = `env -u CI NO_COLOR=1 PATH='${bin}' HOME='${home}' XDG_STATE_HOME='${home}/state' KUBECONFIG='${sim.kubeconfigPath}'`;
    term = new TmuxSession(`${env} '${process.execPath}' '${BIN}' -n kube-system`, { columns: 140, rows: 40 });
    await term.waitFor((s) => /pods\(kube-system\) \[1\/\d+\]/.test(s), 'the first screen', 30_000);
  });

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it('s opens the shell; each line typed runs; exit comes back to the cockpit', async () => {
    await selectStorageProvisioner(term);
    term.type('s');
    await term.waitFor((s) => /\/ #$/m.test(s) && !s.includes('pods(kube-system)'), 'the shell prompt');
    for (const word of ['one', 'two']) {
      term.type(`echo ${word}-from-$HOSTNAME`);
      term.send('Enter');
      await term.waitFor((s) => new RegExp(`^${word}-from-storage-provisioner`, 'm').test(s), `the echo of ${word}`);
    }
    term.type('exit');
    term.send('Enter');
    await term.waitFor((s) => /pods\(kube-system\) <\/storage> \[1\/1\]/.test(s), 'the cockpit again');
    await keysWorkAgain(term);
  });

  it('a attaches; ctrl-p ctrl-q detaches and comes back to the cockpit', async () => {
    await selectStorageProvisioner(term);
    term.type('a');
    await term.waitFor((s) => !s.includes('pods(kube-system)'), 'the cockpit gone');
    await logUntilShown(sim, term, 'I1204 provisioned pvc-ws');
    // The terminal is raw: ctrl-c would be the container's.
    term.send('C-p');
    term.send('C-q');
    await term.waitFor((s) => /pods\(kube-system\) <\/storage> \[1\/1\]/.test(s), 'the cockpit again');
    await keysWorkAgain(term);
  });
});
