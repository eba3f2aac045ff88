// The kubelet's event for a failed pull, as containerd's CRI answers: a reference the registry
// does not know is gRPC NotFound (pods/pull-failures.json: `nginx:1.27-alpne`), every other
// failure (rate limit, denied, unreachable) Unknown.
export function pullFailedMessage(image: string, error: string): string {
  const code = /: not found$/.test(error) ? 'NotFound' : 'Unknown';
  return `Failed to pull image "${image}": rpc error: code = ${code} desc = ${error}`;
}
