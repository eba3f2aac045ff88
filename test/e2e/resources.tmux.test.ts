// Any kind the server serves, as a k9s user reaches for them: the real binary in tmux against
// the simulated cluster (healthy scenario: cert-manager's CRDs are installed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { startSim } from '../helpers/sim.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

function cockpitCommand(kubeconfig: string, extra: string): string {
  return `env -u CI NO_COLOR=1 KUBECONFIG='${kubeconfig}' '${process.execPath}' '${BIN}' ${extra}`;
}

describe('any resource in a real terminal', () => {
  let sim: SimServer;
  let term: TmuxSession;

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSim('healthy');
    sim.api.create(sim.state.registry.forKind('ConfigMap')!, 'observability', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'jaeger-sampling-strategies-for-the-whole-observability-stack', namespace: 'observability' },
      data: { 'sampling.json': '{"default_strategy":{"type":"probabilistic","param":1}}', mode: 'strict' },
    });
    sim.api.create(sim.state.registry.forKind('Certificate')!, 'observability', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'jaeger-query-tls', namespace: 'observability' },
      spec: { secretName: 'jaeger-query-tls', issuerRef: { name: 'selfsigned-issuer' }, dnsNames: ['jaeger.local'] },
    });
    term = new TmuxSession(cockpitCommand(sim.kubeconfigPath, '-n observability'), { columns: 160, rows: 32 });
    await term.waitFor(
      (s) => /pods\(observability\)/.test(s) && /● live/.test(s),
      'the first screen of pods, discovery read',
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it(':cm lists ConfigMaps with their key counts', async () => {
    const screen = await term.command('cm', /observability-stack\s+2\s/, 'the configmaps view');
    expect(screen).toMatch(/configmaps\(observability\)/);
    expect(screen).toMatch(/jaeger-sampling-strategies-for-the-whole-observability-stack\s+2\s/);
  });

  it(':secrets shows type and key count, and describe shows sizes, never values', async () => {
    await term.command('secrets', /jaeger-operator-service-cert\s+kubernetes\.io\/tls\s+3/, 'the secrets view');
    term.type('/service-cert');
    term.send('Enter');
    term.type('d');
    const screen = await term.waitFor((s) => /tls\.key:\s+\d+ bytes/.test(s), 'the secret described');
    expect(screen).toMatch(/Type:\s+kubernetes\.io\/tls/);
    expect(screen).not.toMatch(/LS0tLS1C/);
    term.send('Escape');
    await term.waitFor((s) => /secrets\(observability\)/.test(s), 'back to the secrets');
    // Apart from the escape, or the terminal reads alt-y.
    await new Promise((r) => setTimeout(r, 200));
    term.type('y');
    const yaml = await term.waitFor((s) => /tls\.crt: ••••••••/.test(s), 'the secret as YAML, masked');
    expect(yaml).not.toMatch(/LS0tLS1C/);
  });

  it(':no lists the cluster-scoped nodes; enter shows the node’s pods in every namespace', async () => {
    const screen = await term.command('no', /nodes.*\n[\s\S]*minikube\s+Ready/, 'the nodes view');
    expect(screen).toMatch(/NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    term.send('Enter');
    const pods = await term.waitFor(
      (s) => /pods\(all\) › node\/minikube/.test(s) && /etcd-minikube/.test(s),
      'the node’s pods',
    );
    expect(pods).toMatch(/kube-system/);
  });

  it(':crd lists the CRDs, enter lists a CRD’s objects, and a short name reaches a custom kind', async () => {
    await term.command('crd', /certificates\.cert-manager\.io/, 'the CRDs');
    term.type('/certificates.cert');
    term.send('Enter');
    term.send('Enter');
    await term.waitFor(
      (s) => /certificates\.cert-manager\.io\(/.test(s) && /jaeger-query-tls/.test(s),
      'the certificates of the CRD',
    );
    await term.command('pods observability', /pods\(observability\)/, 'the pods again');
    const screen = await term.command(
      'cert',
      /certificates\.cert-manager\.io\(observability\)[\s\S]*jaeger-query-tls/,
      'the certificates by short name',
    );
    // The CRD's additionalPrinterColumns (Ready, Secret), not the default Name/Age.
    expect(screen).toMatch(/NAME\s+READY\s+SECRET/);
  });
});
