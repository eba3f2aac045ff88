import { describe, expect, it } from 'vitest';
import { NOW, services } from '../testing/fixtures.js';
import { serviceRow, servicePorts } from './services.js';

describe('service rows', () => {
  it('renders kubectl get svc columns', () => {
    expect(serviceRow(services[0]!, { now: NOW, allNamespaces: false })).toEqual({
      cells: ['elasticsearch-master', 'ClusterIP', '10.96.120.14', '9200/TCP', '27m'],
    });
  });

  it('says <none> for a service without ports', () => {
    expect(servicePorts({ metadata: { name: 'headless' }, spec: {} })).toBe('<none>');
  });
});
