// The kubeconfig a simulator writes: one cluster on loopback, trusted through its own
// self-signed certificate, and three contexts — `sim` (admin), `sim-viewer` (read-only in one
// namespace), `sim-expired` (a token the server rejects).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SimUsers } from './auth.js';

export interface KubeconfigInput {
  url: string;
  /** PEM of the certificate clients must trust. */
  caCert: string;
  users: SimUsers;
  defaultNamespace: string;
}

function kubeconfigYaml({ url, caCert, users, defaultNamespace }: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': 'sim',
    clusters: [
      { name: 'sim', cluster: { server: url, 'certificate-authority-data': Buffer.from(caCert).toString('base64') } },
    ],
    users: [
      { name: 'sim-admin', user: { token: users.adminToken } },
      { name: 'sim-viewer', user: { token: users.viewerToken } },
      { name: 'sim-expired', user: { token: users.expiredToken } },
    ],
    contexts: [
      { name: 'sim', context: { cluster: 'sim', user: 'sim-admin', namespace: defaultNamespace } },
      { name: 'sim-viewer', context: { cluster: 'sim', user: 'sim-viewer', namespace: users.viewerNamespace } },
      { name: 'sim-expired', context: { cluster: 'sim', user: 'sim-expired', namespace: defaultNamespace } },
    ],
  });
}

/** Write `<dir>/kubeconfig` (mode 600: it holds tokens) and return its path. */
export function writeKubeconfig(dir: string, input: KubeconfigInput): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, kubeconfigYaml(input), { mode: 0o600 });
  return path;
}
