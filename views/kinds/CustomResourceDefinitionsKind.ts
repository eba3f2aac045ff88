// CRDs keep the server's columns; enter lists the objects of the kind the CRD defines.
import { entry } from '../state.js';
import { at } from '../data/resources.js';
import type { KindView } from './kind-view.js';

export const customResourceDefinitionsKind: KindView = {
  resource: 'customresourcedefinitions.apiextensions.k8s.io',
  drillText: 'List the objects of the kind the CRD defines',
  drill(crd) {
    const group = at(crd, 'spec', 'group');
    const plural = at(crd, 'spec', 'names', 'plural');
    if (typeof group !== 'string' || typeof plural !== 'string') return undefined;
    return { push: entry('resource', { resource: `${plural}.${group}` }) };
  },
};
