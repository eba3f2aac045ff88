// Native sidecars (Kubernetes 1.29+) are init containers with `restartPolicy: Always`: they
// start before the app and keep running beside it, so they fail like app containers, not like
// init steps.
import type { Container } from '../../../src/model/k8s.js';

export function isSidecar(container: Container | undefined): boolean {
  return (container as { restartPolicy?: unknown } | undefined)?.restartPolicy === 'Always';
}
