// pods/crashloop: containers that keep crashing (CrashLoopBackOff), or keep restarting while
// running. Tells apart the memory limit (OOMKilled), a liveness probe that kills the
// container, a dependency the container cannot reach (a symptom: the finding hangs under the
// dependency's own finding), and plain exit codes.
import { containerRule } from '../../src/diagnose/container-rule.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { classifyCrash, mostTelling } from './crashloop/classify.js';
import { explainCrash } from './crashloop/explain.js';
import { crashPlans } from './crashloop/plans.js';

export const rule = containerRule({
  id: RULE_IDS.crashloop,
  title: 'Container keeps crashing',
  classify: classifyCrash,
  lead: mostTelling,
  explain: explainCrash,
  plans: crashPlans,
});
