import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/model/k8s.js';
import { Snapshot } from '../../../src/store/snapshot.js';
import { dependencyHints, logExcerpt, redactLogLine, serviceForHost } from './log-dependencies.js';

const hosts = (lines: string[]) => dependencyHints(lines).map((h) => `${h.host}${h.port ? `:${h.port}` : ''}`);

describe('dependencyHints', () => {
  it.each([
    [
      'Head "http://elasticsearch-master:9200": dial tcp 10.106.14.21:9200: connect: connection refused',
      ['elasticsearch-master:9200', '10.106.14.21:9200'],
    ],
    ['dial tcp: lookup rabbitmq on 10.96.0.10:53: no such host', ['rabbitmq']],
    ['Error: getaddrinfo ENOTFOUND redis-master', ['redis-master']],
    ['java.net.UnknownHostException: kafka', ['kafka']],
    ['psql: error: could not translate host name "postgres" to address: Name or service not known', ['postgres']],
    [
      'psql: error: connection to server at "postgres" (10.96.44.10), port 5433 failed: Connection refused',
      ['postgres:5433'],
    ],
    ['redis: dial tcp cache.shop.svc.cluster.local:6379: i/o timeout', ['cache.shop.svc.cluster.local:6379']],
  ])('%s', (line, expected) => {
    expect(hosts([line])).toEqual(expected);
  });

  it('ignores lines without a connection failure, source positions, local and DNS addresses', () => {
    expect(hosts(['redis: using cart-redis:6379'])).toEqual([]);
    expect(hosts(['{"caller":"./main.go:107","msg":"timeout"}'])).toEqual([]);
    expect(
      hosts(['dial tcp 127.0.0.1:8080: connect: connection refused', 'connect ECONNREFUSED localhost:5432']),
    ).toEqual([]);
    expect(hosts(['2026-11-21T10:00:05 timeout after 5s'])).toEqual([]);
  });

  it('lists the most recent failure first', () => {
    expect(hosts(['dial tcp db-a:5432: connection refused', 'dial tcp db-b:5432: connection refused'])).toEqual([
      'db-b:5432',
      'db-a:5432',
    ]);
  });
});

describe('serviceForHost', () => {
  const svc = (name: string, namespace: string, clusterIP: string): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { clusterIP },
  });
  const snapshot = new Snapshot({
    services: [
      svc('elasticsearch-master', 'observability', '10.106.14.21'),
      svc('elasticsearch-master-headless', 'observability', 'None'),
    ],
  });

  it.each([
    ['elasticsearch-master', 'observability', 'elasticsearch-master'],
    ['elasticsearch-master.observability', 'default', 'elasticsearch-master'],
    ['elasticsearch-master.observability.svc', 'default', 'elasticsearch-master'],
    ['elasticsearch-master.observability.svc.cluster.local', 'default', 'elasticsearch-master'],
    [
      'elasticsearch-master-0.elasticsearch-master-headless.observability.svc.cluster.local',
      'default',
      'elasticsearch-master-headless',
    ],
    ['10.106.14.21', 'default', 'elasticsearch-master'],
  ])('%s from %s', (host, ns, expected) => {
    expect(serviceForHost(snapshot, ns, host)?.metadata.name).toBe(expected);
  });

  it('does not resolve names in the wrong namespace or outside the cluster', () => {
    expect(serviceForHost(snapshot, 'default', 'elasticsearch-master')).toBeUndefined();
    expect(serviceForHost(snapshot, 'observability', 'db.example.com')).toBeUndefined();
  });
});

describe('log line helpers', () => {
  it('masks credentials in URLs and key=value pairs', () => {
    expect(redactLogLine('connecting to amqp://app:s3cret@rabbitmq:5672/')).toBe(
      'connecting to amqp://app:***@rabbitmq:5672/',
    );
    expect(redactLogLine('DB_PASSWORD=hunter2 token: abc123 "password":"x1"')).toBe(
      'DB_PASSWORD=*** token: *** "password":"***"',
    );
  });

  it('reads the message and error of structured lines', () => {
    expect(
      logExcerpt('{"level":"fatal","msg":"Failed to init storage factory","error":"no Elasticsearch node available"}'),
    ).toBe('Failed to init storage factory: no Elasticsearch node available');
    expect(logExcerpt('{not json')).toBe('{not json');
    expect(logExcerpt('  plain line ')).toBe('plain line');
  });
});
