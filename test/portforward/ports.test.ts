// Port specs, bind addresses, targets and the pure pod/port choices, without a cluster.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../src/model/k8s.js';
import { ForwardError } from '../../src/portforward/errors.js';
import { choosePod, containerPorts, serviceTargetPort, unusableReason } from '../../src/portforward/pods.js';
import { exposesNetwork, exposureWarning, hostPort, parsePortSpecs } from '../../src/portforward/ports.js';
import { formatTarget, parseTarget } from '../../src/portforward/target.js';

function errorOf(fn: () => unknown): ForwardError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ForwardError) return e;
    throw e;
  }
  throw new Error('expected a ForwardError');
}

describe('parsePortSpecs', () => {
  it.each([
    [['8080:16686'], [{ local: 8080, remote: 16686 }]],
    [['16686'], [{ local: 16686, remote: 16686 }]],
    [[':16686'], [{ local: 0, remote: 16686 }]],
    [
      ['8080:16686', '9090'],
      [
        { local: 8080, remote: 16686 },
        { local: 9090, remote: 9090 },
      ],
    ],
    [
      ['1', '65535:65535'],
      [
        { local: 1, remote: 1 },
        { local: 65535, remote: 65535 },
      ],
    ],
    [
      [':80', ':443'],
      [
        { local: 0, remote: 80 },
        { local: 0, remote: 443 },
      ],
    ],
  ])('%j → %j', (specs, pairs) => {
    expect(parsePortSpecs(specs)).toEqual(pairs);
  });

  it.each([
    [[], /no port to forward/],
    [['abc'], /"abc" is not a port spec: give \[LOCAL:\]REMOTE/],
    [['0'], /remote port 0 in "0" is out of range: ports go from 1 to 65535/],
    [['70000'], /remote port 70000 .* out of range/],
    [['8080:0'], /remote port 0 in "8080:0" is out of range/],
    [['99999:80'], /local port 99999 in "99999:80" is out of range/],
    [['8080:'], /"8080:" is not a port spec/],
    [['1:2:3'], /"1:2:3" is not a port spec/],
    [['-1'], /"-1" is not a port spec/],
    [['80.5'], /"80.5" is not a port spec/],
    [['8080:80', '8080:443'], /local port 8080 is given twice/],
  ])('%j is refused in one line', (specs, message) => {
    const e = errorOf(() => parsePortSpecs(specs));
    expect(e.kind).toBe('spec');
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
  });
});

describe('bind address', () => {
  it.each([
    ['127.0.0.1', false],
    ['127.0.1.1', false],
    ['localhost', false],
    ['::1', false],
    ['0.0.0.0', true],
    ['::', true],
    ['192.168.1.20', true],
  ])('%s exposes the network: %s', (address, exposes) => {
    expect(exposesNetwork(address)).toBe(exposes);
  });

  it('warns in one line what 0.0.0.0 exposes and how to avoid it', () => {
    expect(exposureWarning('0.0.0.0', [8080])).toBe(
      '0.0.0.0 exposes port 8080 to every network this machine is on: anyone who can reach this machine can use the forward; use --address 127.0.0.1 to keep it to this machine',
    );
    expect(exposureWarning('192.168.1.20', [8080, 9090])).toMatch(
      /^192\.168\.1\.20 exposes ports 8080, 9090 to the network 192\.168\.1\.20 is on/,
    );
    expect(exposureWarning('0.0.0.0', [0, 9090])).toMatch(/^0\.0\.0\.0 exposes the forwarded ports to every network/);
    expect(exposureWarning('127.0.0.1', [8080])).toBeUndefined();
  });

  it('brackets IPv6 addresses', () => {
    expect(hostPort('::1', 8080)).toBe('[::1]:8080');
    expect(hostPort('127.0.0.1', 8080)).toBe('127.0.0.1:8080');
  });
});

describe('parseTarget', () => {
  it.each([
    ['pod/jaeger-query-5c9b7d8f4d-7mhtn', 'Pod', 'pod/jaeger-query-5c9b7d8f4d-7mhtn'],
    ['po/x', 'Pod', 'pod/x'],
    ['jaeger-query-5c9b7d8f4d-7mhtn', 'Pod', 'pod/jaeger-query-5c9b7d8f4d-7mhtn'],
    ['svc/jaeger-query', 'Service', 'svc/jaeger-query'],
    ['service/jaeger-query', 'Service', 'svc/jaeger-query'],
    ['deploy/jaeger-query', 'Deployment', 'deploy/jaeger-query'],
    ['deployment.apps/jaeger-query', 'Deployment', 'deploy/jaeger-query'],
  ])('%s is a %s', (text, kind, formatted) => {
    const ref = parseTarget(text, 'observability');
    expect(ref).toMatchObject({ kind, namespace: 'observability' });
    expect(formatTarget(ref)).toBe(formatted);
  });

  it.each([
    [
      'sts/elasticsearch-master',
      /cannot port-forward to "sts\/elasticsearch-master": give pod\/NAME, svc\/NAME or deploy\/NAME/,
    ],
    ['svc/', /"" is not a valid Service name/],
    ['pod/Jaeger_Query', /"Jaeger_Query" is not a valid Pod name/],
  ])('%s is refused', (text, message) => {
    expect(errorOf(() => parseTarget(text)).message).toMatch(message);
  });
});

// Shapes as `kubectl get -o json` gives them (S1's jaeger-query pod and Service).
function pod(
  name: string,
  opts: {
    phase?: string;
    ready?: boolean;
    readySince?: string;
    deleting?: boolean;
    ports?: { name?: string; containerPort: number }[];
  } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'observability',
      creationTimestamp: '2024-09-01T10:00:00Z',
      labels: {
        'app.kubernetes.io/component': 'query',
        'app.kubernetes.io/instance': 'jaeger',
        'app.kubernetes.io/name': 'jaeger',
      },
      ...(opts.deleting ? { deletionTimestamp: '2024-09-01T12:00:30Z' } : {}),
    },
    spec: {
      nodeName: 'minikube',
      containers: [
        {
          name: 'jaeger-query',
          image: 'jaegertracing/jaeger-query:1.39.0',
          ports: opts.ports ?? [
            { name: 'query', containerPort: 16686 },
            { name: 'admin', containerPort: 16687 },
          ],
        },
        {
          name: 'jaeger-agent-sidecar',
          image: 'jaegertracing/jaeger-agent:1.39.0',
          ports: [{ name: 'zk-compact-trft', containerPort: 5775 }],
        },
      ],
    },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [
        {
          type: 'Ready',
          status: opts.ready === false ? 'False' : 'True',
          lastTransitionTime: opts.readySince ?? '2024-09-01T10:01:00Z',
        },
      ],
    },
  };
}

const querySvc: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'jaeger-query', namespace: 'observability' },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.88.163',
    selector: {
      'app.kubernetes.io/component': 'query',
      'app.kubernetes.io/instance': 'jaeger',
      'app.kubernetes.io/name': 'jaeger',
    },
    ports: [
      { name: 'query', port: 16686, protocol: 'TCP', targetPort: 'query' },
      { name: 'admin', port: 16687, protocol: 'TCP', targetPort: 'admin' },
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 16686 },
      { name: 'plain', port: 9000, protocol: 'TCP' },
    ],
  },
};

describe('choosing the pod', () => {
  it('prefers ready pods, the longest ready first, and never a stopped or terminating one', () => {
    const pods = [
      pod('jaeger-query-a', { ready: false }),
      pod('jaeger-query-b', { readySince: '2024-09-01T11:00:00Z' }),
      pod('jaeger-query-c', { readySince: '2024-09-01T10:30:00Z' }),
      pod('jaeger-query-d', { deleting: true, readySince: '2024-09-01T09:00:00Z' }),
      pod('jaeger-query-e', { phase: 'Succeeded' }),
    ];
    expect(choosePod(pods)?.metadata.name).toBe('jaeger-query-c');
    expect(choosePod(pods.slice(0, 1))?.metadata.name).toBe('jaeger-query-a');
    expect(choosePod(pods.slice(3))).toBeUndefined();
  });

  it('says why a pod cannot take traffic', () => {
    expect(unusableReason(pod('p'))).toBeUndefined();
    expect(unusableReason(pod('p', { ready: false }))).toBeUndefined();
    expect(unusableReason(pod('p', { deleting: true }))).toBe('is being deleted');
    expect(unusableReason(pod('p', { phase: 'Pending' }))).toBe('is not running yet (Pending)');
    expect(unusableReason(pod('p', { phase: 'Failed' }))).toBe('has stopped (Failed)');
  });

  it('lists the containers’ ports', () => {
    expect(containerPorts(pod('p').spec).map((p) => `${p.container}:${p.name}:${p.port}`)).toEqual([
      'jaeger-query:query:16686',
      'jaeger-query:admin:16687',
      'jaeger-agent-sidecar:zk-compact-trft:5775',
    ]);
  });
});

describe('serviceTargetPort', () => {
  it('maps named, numeric and absent targetPorts as kubectl does', () => {
    const p = pod('jaeger-query-x');
    expect(serviceTargetPort(querySvc, 16686, p)).toBe(16686);
    expect(serviceTargetPort(querySvc, 16687, p)).toBe(16687);
    expect(serviceTargetPort(querySvc, 80, p)).toBe(16686);
    expect(serviceTargetPort(querySvc, 9000, p)).toBe(9000);
  });

  it('looks a named port up in each pod: a new pod may number it differently', () => {
    expect(
      serviceTargetPort(querySvc, 16686, pod('jaeger-query-y', { ports: [{ name: 'query', containerPort: 8080 }] })),
    ).toBe(8080);
  });

  it('refuses a port the Service does not have, listing the ones it has', () => {
    const e = errorOf(() => serviceTargetPort(querySvc, 9999, pod('p')));
    expect(e.kind).toBe('port');
    expect(e.message).toBe(
      'svc/jaeger-query has no port 9999: its ports are 16686 (query), 16687 (admin), 80 (http), 9000 (plain); give one of those as REMOTE',
    );
  });

  it('refuses a named targetPort the pod does not declare', () => {
    const e = errorOf(() =>
      serviceTargetPort(querySvc, 16687, pod('jaeger-query-z', { ports: [{ name: 'query', containerPort: 16686 }] })),
    );
    expect(e.message).toMatch(
      /^pod jaeger-query-z has no container port named "admin", which svc\/jaeger-query's port 16687 targets/,
    );
  });
});
