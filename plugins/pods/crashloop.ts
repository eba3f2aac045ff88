// pods/crashloop: app containers that keep crashing (CrashLoopBackOff), or keep restarting
// while running. Tells apart the memory limit (OOMKilled), a full disk, a liveness probe that
// kills the container, a dependency the container cannot reach (a symptom: the finding hangs
// under the dependency's own finding), and plain exit codes. Init containers are
// pods/init-failing's (what matters there is that the app never starts), except native
// sidecars, which run beside the app.
import { containerRule } from '../../src/diagnose/container-rule.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { classifyCrash, mostTelling } from './crashloop/classify.js';
import { explainCrash } from './crashloop/explain.js';
import { crashPlans } from './crashloop/plans.js';
import { isSidecar } from './lib/sidecar.js';

export const rule = containerRule({
  id: RULE_IDS.crashloop,
  title: 'Container keeps crashing',
  classify: (pod, site, ctx) => (site.init && !isSidecar(site.spec) ? undefined : classifyCrash(pod, site, ctx)),
  lead: mostTelling,
  explain: explainCrash,
  plans: crashPlans,
});
