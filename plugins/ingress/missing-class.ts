// ingress/missing-class: an Ingress whose ingressClassName names no IngressClass, or that
// names none while the cluster has no default class. No controller picks it up: it gets no
// address and serves nothing.
import type { Ingress } from '../../src/model/k8s.js';
import type { FixPlan, JsonPatchOp, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';
/** The annotation that named a class before `ingressClassName`; controllers still honour it. */
const LEGACY_CLASS = 'kubernetes.io/ingress.class';

interface NoClass extends Case {
  ingress: Ingress;
  /** Undefined when the Ingress names no class. */
  wanted: string | undefined;
  classes: string[];
  meant: string | undefined;
}

function* classify(ctx: RuleContext): Iterable<NoClass> {
  const { snapshot } = ctx;
  // IngressClasses are cluster-scoped: a namespace-only user cannot tell, so says nothing.
  if (snapshot.forbidden.has('ingressclasses')) return;
  const classes = snapshot.ingressClasses.map((c) => c.metadata.name);
  const hasDefault = snapshot.ingressClasses.some((c) => c.metadata.annotations?.[DEFAULT_CLASS] === 'true');
  for (const ingress of snapshot.ingresses) {
    if (ingress.metadata.annotations?.[LEGACY_CLASS]) continue;
    const wanted = ingress.spec?.ingressClassName;
    if (wanted ? classes.includes(wanted) : hasDefault) continue;
    const meant = wanted ? nearestName(wanted, classes) : classes.length === 1 ? classes[0] : undefined;
    yield { subject: refOf(ingress, 'Ingress'), ingress, wanted, classes, meant };
  }
}

function explain({ lead: n }: CaseGroup<NoClass>): Explained {
  const name = n.ingress.metadata.name;
  const list = n.classes.length ? n.classes.join(', ') : 'none';
  const mean = n.meant ? ` Did you mean ${n.meant}?` : '';
  return {
    severity: 'critical',
    title: n.wanted
      ? `Ingress ${name} asks for IngressClass ${n.wanted}, which does not exist`
      : `Ingress ${name} names no IngressClass and the cluster has no default one`,
    explanation: [
      n.wanted
        ? `Ingress ${name} sets ingressClassName: ${n.wanted}, but the cluster's IngressClasses are: ${list}.`
        : `Ingress ${name} sets no ingressClassName, and no IngressClass is marked as the default (annotation ${DEFAULT_CLASS}: "true"); the cluster's IngressClasses are: ${list}.`,
      'Each ingress controller serves only the Ingresses of its class, so no controller takes this one: it gets no address and its hosts answer nothing.',
      `${mean} Set ingressClassName to the class of the controller you run${n.classes.length === 0 ? ' (none is installed: install one, such as ingress-nginx)' : ''}.`,
    ].join(' '),
    evidence: [
      fieldEvidence(n.ingress, 'spec.ingressClassName', n.wanted ?? 'not set', 'spec'),
      { source: 'spec', text: `IngressClasses: ${list}` },
    ],
  };
}

function plans({ lead: n }: CaseGroup<NoClass>): FixPlan[] {
  const ref = refOf(n.ingress, 'Ingress');
  if (!n.meant)
    return [
      manualPlan({
        id: 'set-ingress-class',
        title: `Give Ingress ${n.ingress.metadata.name} the class of a controller that runs`,
        explanation: 'Which controller should serve it is yours to choose.',
        commands: ['kubectl get ingressclass'],
      }),
    ];
  const ops: JsonPatchOp[] = n.wanted
    ? [
        { op: 'test', path: '/spec/ingressClassName', value: n.wanted },
        { op: 'replace', path: '/spec/ingressClassName', value: n.meant },
      ]
    : [{ op: 'add', path: '/spec/ingressClassName', value: n.meant }];
  return [
    {
      id: 'set-ingress-class',
      title: `Set Ingress ${n.ingress.metadata.name}'s class to ${n.meant}`,
      explanation: `${n.meant} is an IngressClass the cluster has; its controller then picks the Ingress up.`,
      commands: [jsonPatchCommand(ref, ops)],
      steps: [{ action: 'json-patch', ref, patch: ops, description: `Set ingressClassName to ${n.meant}.` }],
      mutates: true,
    },
  ];
}

export const rule = defineRule<NoClass>({
  id: RULE_IDS.ingressMissingClass,
  title: 'Ingress class does not exist',
  needs: ['ingressclasses'],
  classify,
  explain,
  plans,
});
