import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { KubeError } from '../../src/kube/errors.js';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';

let dir: string;
let home: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kcockpit-kc-'));
  home = path.join(dir, 'home');
  mkdirSync(home);
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** A kubeconfig the way kind/minikube write them. */
function config(o: {
  current?: string;
  clusters?: [string, string][];
  users?: string[];
  contexts?: [string, string, string, string?][];
}): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'preferences: {}'];
  lines.push('clusters:');
  for (const [name, server] of o.clusters ?? []) lines.push(`- cluster:`, `    server: ${server}`, `  name: ${name}`);
  lines.push('users:');
  for (const name of o.users ?? []) lines.push(`- name: ${name}`, '  user:', `    token: token-of-${name}`);
  lines.push('contexts:');
  for (const [name, cluster, user, ns] of o.contexts ?? []) {
    lines.push('- context:', `    cluster: ${cluster}`, `    user: ${user}`);
    if (ns) lines.push(`    namespace: ${ns}`);
    lines.push(`  name: ${name}`);
  }
  if (o.current) lines.push(`current-context: ${o.current}`);
  return lines.join('\n') + '\n';
}

const minikube = config({
  current: 'minikube',
  clusters: [['minikube', 'https://192.168.49.2:8443']],
  users: ['minikube'],
  contexts: [['minikube', 'minikube', 'minikube', 'observability']],
});

function errorOf(fn: () => unknown): KubeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KubeError);
    return e as KubeError;
  }
  throw new Error('expected a KubeError');
}

describe('loadKubeconfig', () => {
  it('reads ~/.kube/config when KUBECONFIG is not set, with the context namespace', () => {
    write('home/.kube/config', minikube);
    const k = loadKubeconfig({ env: {}, homeDir: home });
    expect(k).toMatchObject({
      contextName: 'minikube',
      clusterName: 'minikube',
      userName: 'minikube',
      server: 'https://192.168.49.2:8443',
      namespace: 'observability',
    });
    expect(k.kc.getCurrentUser()?.token).toBe('token-of-minikube');
  });

  it('-n overrides the context namespace; without either the namespace is default', () => {
    const file = write('a.yaml', minikube);
    expect(loadKubeconfig({ kubeconfig: file, namespace: 'kube-system', env: {}, homeDir: home }).namespace).toBe(
      'kube-system',
    );
    const noNs = write(
      'b.yaml',
      config({ current: 'c', clusters: [['c', 'https://10.0.0.1:6443']], users: ['u'], contexts: [['c', 'c', 'u']] }),
    );
    expect(loadKubeconfig({ kubeconfig: noNs, env: {}, homeDir: home }).namespace).toBe('default');
  });

  it('merges KUBECONFIG files like kubectl: the first current-context wins, duplicate names keep the first', () => {
    const first = write(
      'first.yaml',
      config({
        current: 'dev',
        clusters: [['shared', 'https://first:6443']],
        users: ['alice'],
        contexts: [['dev', 'shared', 'alice', 'dev-ns']],
      }),
    );
    const second = write(
      'second.yaml',
      config({
        current: 'prod',
        clusters: [
          ['shared', 'https://second:6443'],
          ['prod', 'https://prod:6443'],
        ],
        users: ['alice', 'bob'],
        contexts: [
          ['dev', 'prod', 'bob'],
          ['prod', 'prod', 'bob'],
        ],
      }),
    );
    const k = loadKubeconfig({ env: { KUBECONFIG: [first, second].join(path.delimiter) }, homeDir: home });
    expect(k.contextName).toBe('dev');
    expect(k.server).toBe('https://first:6443');
    expect(k.namespace).toBe('dev-ns');
    expect(k.kc.getCurrentUser()?.token).toBe('token-of-alice');
    expect(k.kc.getContexts().map((c) => c.name)).toEqual(['dev', 'prod']);
    expect(k.sources).toEqual([first, second]);

    const prod = loadKubeconfig({
      context: 'prod',
      env: { KUBECONFIG: [first, second].join(path.delimiter) },
      homeDir: home,
    });
    expect(prod).toMatchObject({
      contextName: 'prod',
      server: 'https://prod:6443',
      userName: 'bob',
      namespace: 'default',
    });
  });

  it('takes current-context from a later file when the earlier ones do not set it', () => {
    const first = write(
      'first.yaml',
      config({ clusters: [['c1', 'https://c1:6443']], users: ['u1'], contexts: [['one', 'c1', 'u1']] }),
    );
    const second = write('second.yaml', config({ current: 'one', clusters: [], users: [], contexts: [] }));
    expect(
      loadKubeconfig({ env: { KUBECONFIG: `${first}${path.delimiter}${second}` }, homeDir: home }).contextName,
    ).toBe('one');
  });

  it('skips KUBECONFIG entries that do not exist, as kubectl does', () => {
    const real = write('real.yaml', minikube);
    const k = loadKubeconfig({
      env: { KUBECONFIG: `${path.join(dir, 'nope.yaml')}${path.delimiter}${real}` },
      homeDir: home,
    });
    expect(k.contextName).toBe('minikube');
  });

  it('resolves relative certificate paths against the file that names them', () => {
    const file = write(
      'sub/kc.yaml',
      [
        'apiVersion: v1',
        'clusters:',
        '- name: c',
        '  cluster:',
        '    server: https://10.0.0.1:6443',
        '    certificate-authority: certs/ca.crt',
        'users:',
        '- name: u',
        '  user:',
        '    client-certificate: certs/client.crt',
        '    client-key: /abs/client.key',
        'contexts:',
        '- name: c',
        '  context: {cluster: c, user: u}',
        'current-context: c',
      ].join('\n'),
    );
    const k = loadKubeconfig({ kubeconfig: file, env: {}, homeDir: home });
    expect(k.kc.getCurrentCluster()?.caFile).toBe(path.join(dir, 'sub', 'certs', 'ca.crt'));
    expect(k.kc.getCurrentUser()?.certFile).toBe(path.join(dir, 'sub', 'certs', 'client.crt'));
    expect(k.kc.getCurrentUser()?.keyFile).toBe('/abs/client.key');
  });

  it('keeps exec credential plugins for client-node to run', () => {
    const file = write(
      'eks.yaml',
      [
        'apiVersion: v1',
        'clusters: [{name: eks, cluster: {server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com"}}]',
        'users:',
        '- name: eks-user',
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1beta1',
        '      command: aws',
        '      args: [eks, get-token, --cluster-name, prod]',
        'contexts: [{name: eks, context: {cluster: eks, user: eks-user}}]',
        'current-context: eks',
      ].join('\n'),
    );
    const k = loadKubeconfig({ kubeconfig: file, env: {}, homeDir: home });
    expect(k.kc.getCurrentUser()?.exec).toMatchObject({
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'prod'],
    });
  });

  it('uses the in-cluster service account when there is no kubeconfig', () => {
    const root = path.join(dir, 'root');
    write('root/var/run/secrets/kubernetes.io/serviceaccount/token', 'in-cluster-token');
    write('root/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'observability\n');
    const k = loadKubeconfig({
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      homeDir: home,
      inClusterRoot: root,
    });
    expect(k).toMatchObject({ server: 'https://10.96.0.1:443', namespace: 'observability', sources: ['in-cluster'] });
    expect(k.kc.getCurrentUser()?.authProvider).toMatchObject({ name: 'tokenFile' });
  });
});

describe('loadKubeconfig errors (one line each)', () => {
  it('no kubeconfig at all', () => {
    const err = errorOf(() => loadKubeconfig({ env: {}, homeDir: home }));
    expect(err.kind).toBe('config');
    expect(err.message).toMatch(/^no kubeconfig found: ~\/\.kube\/config does not exist and KUBECONFIG is not set; /);
  });

  it('--kubeconfig pointing nowhere', () => {
    const err = errorOf(() => loadKubeconfig({ kubeconfig: path.join(dir, 'missing.yaml'), env: {}, homeDir: home }));
    expect(err.message).toBe(
      `no kubeconfig found: ${path.join(dir, 'missing.yaml')} (from --kubeconfig) does not exist; check the path`,
    );
  });

  it('KUBECONFIG listing only missing files', () => {
    const err = errorOf(() => loadKubeconfig({ env: { KUBECONFIG: path.join(dir, 'x.yaml') }, homeDir: home }));
    expect(err.message).toMatch(/^no kubeconfig found: none of the files in KUBECONFIG exist/);
  });

  it('an empty file', () => {
    write('home/.kube/config', '\n');
    const err = errorOf(() => loadKubeconfig({ env: {}, homeDir: home }));
    expect(err.message).toMatch(/^no usable kubeconfig: ~\/\.kube\/config is empty; /);
  });

  it('malformed YAML names the file and the line', () => {
    const file = write(
      'bad.yaml',
      'apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: https://x\ncontexts: []\n',
    );
    const err = errorOf(() => loadKubeconfig({ kubeconfig: file, env: {}, homeDir: home }));
    expect(err.kind).toBe('config');
    expect(err.message).toContain(`kubeconfig ${file} is not valid YAML at line 5, column 1`);
    expect(err.message).not.toContain('\n');
  });

  it('a YAML document that is not a kubeconfig', () => {
    const file = write('list.yaml', '- a\n- b\n');
    expect(errorOf(() => loadKubeconfig({ kubeconfig: file, env: {}, homeDir: home })).message).toMatch(
      /is not a kubeconfig/,
    );
  });

  it('an unknown --context lists the available ones', () => {
    const file = write(
      'two.yaml',
      config({
        current: 'sim',
        clusters: [['sim', 'https://127.0.0.1:6443']],
        users: ['admin'],
        contexts: [
          ['sim', 'sim', 'admin'],
          ['sim-viewer', 'sim', 'admin'],
        ],
      }),
    );
    const err = errorOf(() => loadKubeconfig({ kubeconfig: file, context: 'prod', env: {}, homeDir: home }));
    expect(err.message).toBe(`context "prod" is not in ${file}; available contexts: sim, sim-viewer`);
  });

  it('a current-context that does not exist', () => {
    const file = write(
      'dangling.yaml',
      config({ current: 'gone', clusters: [['c', 'https://c:6443']], users: ['u'], contexts: [['c', 'c', 'u']] }),
    );
    expect(errorOf(() => loadKubeconfig({ kubeconfig: file, env: {}, homeDir: home })).message).toBe(
      `context "gone" (the current-context) is not in ${file}; available contexts: c`,
    );
  });

  it('no current-context and no --context', () => {
    const file = write(
      'nocurrent.yaml',
      config({ clusters: [['c', 'https://c:6443']], users: ['u'], contexts: [['c', 'c', 'u']] }),
    );
    expect(errorOf(() => loadKubeconfig({ kubeconfig: file, env: {}, homeDir: home })).message).toBe(
      `${file} has no current-context: pick one with --context (available: c)`,
    );
  });

  it('a context whose cluster is missing', () => {
    const file = write(
      'nocluster.yaml',
      config({ current: 'c', clusters: [], users: ['u'], contexts: [['c', 'ghost', 'u']] }),
    );
    expect(errorOf(() => loadKubeconfig({ kubeconfig: file, env: {}, homeDir: home })).message).toMatch(
      /context "c" in .* cannot be used: it refers to cluster "ghost", which is not defined/,
    );
  });
});
