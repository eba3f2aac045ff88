import { describe, expect, it } from 'vitest';
import { contextRow } from './contexts.js';

describe('context rows', () => {
  it('marks the current context with * and the marked style', () => {
    expect(
      contextRow({ name: 'minikube', cluster: 'minikube', user: 'minikube', namespace: 'default' }, 'minikube'),
    ).toEqual({
      cells: ['*', 'minikube', 'minikube', 'minikube', 'default'],
      style: 'marked',
    });
    expect(contextRow({ name: 'kind-dev', cluster: 'kind-dev', user: 'kind-dev' }, 'minikube')).toEqual({
      cells: ['', 'kind-dev', 'kind-dev', 'kind-dev', ''],
    });
  });
});
