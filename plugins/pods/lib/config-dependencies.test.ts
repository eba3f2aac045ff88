import { describe, expect, it } from 'vitest';
import type { Container } from '../../../src/model/k8s.js';
import { addressesIn, configReferences } from './config-dependencies.js';

describe('addressesIn', () => {
  it('reads every way a Service is written: name, name.ns, .svc, .svc.cluster.local, scheme, port, lists', () => {
    expect(addressesIn('http://elasticsearch-master:9200', false)).toEqual([
      { host: 'elasticsearch-master', port: 9200, strong: true },
    ]);
    expect(addressesIn('db.shop:5432', false)).toEqual([{ host: 'db.shop', port: 5432, strong: true }]);
    expect(addressesIn('redis.cache.svc', true)).toEqual([{ host: 'redis.cache.svc', strong: false }]);
    expect(addressesIn('amqp://user@rabbitmq.queue.svc.cluster.local./vhost', false)).toEqual([
      { host: 'rabbitmq.queue.svc.cluster.local', strong: true },
    ]);
    expect(addressesIn('dns:///jaeger-collector-headless:14250', false)).toEqual([
      { host: 'jaeger-collector-headless', port: 14250, strong: true },
    ]);
    expect(addressesIn('kafka-0:9092,kafka-1:9092', false).map((a) => a.host)).toEqual(['kafka-0', 'kafka-1']);
  });

  it('takes a bare word as an address only when the setting says it is one', () => {
    expect(addressesIn('elasticsearch', false)).toEqual([]);
    expect(addressesIn('elasticsearch', true)).toEqual([{ host: 'elasticsearch', strong: false }]);
    expect(addressesIn('10.0.0.1:80 /etc/app.conf -Xmx1g 9200', true)).toEqual([]);
  });
});

describe('configReferences', () => {
  it('reads env values, args and command with their paths, and never a credential', () => {
    const c: Container = {
      name: 'app',
      command: ['/app', '--db-host=postgres.shop'],
      args: ['--reporter.grpc.host-port=dns:///collector:14250', '--db-password=postgres://u:p@x:1'],
      env: [
        { name: 'SPAN_STORAGE_TYPE', value: 'elasticsearch' },
        { name: 'DATABASE_URL', value: 'postgres://app:hunter2@postgres:5432/shop' },
        { name: 'API_TOKEN', value: 'http://token-service:80' },
        { name: 'REDIS_HOST', value: 'redis' },
      ],
    };
    expect(configReferences(c, 'spec.containers[0]')).toEqual([
      {
        host: 'postgres',
        port: 5432,
        path: 'spec.containers[0].env[1]',
        text: 'DATABASE_URL=postgres://app:***@postgres:5432/shop',
        explicit: true,
      },
      { host: 'redis', path: 'spec.containers[0].env[3]', text: 'REDIS_HOST=redis', explicit: false },
      {
        host: 'postgres.shop',
        path: 'spec.containers[0].command[1]',
        text: '--db-host=postgres.shop',
        explicit: false,
      },
      {
        host: 'collector',
        port: 14250,
        path: 'spec.containers[0].args[0]',
        text: '--reporter.grpc.host-port=dns:///collector:14250',
        explicit: true,
      },
    ]);
  });

  it('reads a container once for all the replicas that share it, by its path in each', () => {
    const shared: Container = { name: 'app', env: [{ name: 'REDIS_HOST', value: 'redis' }] };
    const first = configReferences(shared, 'spec.containers[0]');
    expect(configReferences(shared, 'spec.containers[0]')).toBe(first);
    expect(configReferences(shared, 'spec.containers[1]')).toEqual([
      { host: 'redis', path: 'spec.containers[1].env[0]', text: 'REDIS_HOST=redis', explicit: false },
    ]);
    // What a hostile cluster may send where a container should be.
    expect(configReferences('app' as unknown as Container, 'spec.containers[2]')).toEqual([]);
  });
});
