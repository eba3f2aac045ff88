// pods/image-pull: containers that cannot start because their image cannot be pulled: Docker
// Hub's rate limit, an image or tag that does not exist, a private registry without
// credentials, a pull secret that exists but is not used or is used but does not exist, an
// unreachable registry, an invalid image name.
import { containerRule } from '../../src/diagnose/container-rule.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { classifyPull } from './image-pull/classify.js';
import { explainPull } from './image-pull/explain.js';
import { pullPlans } from './image-pull/plans.js';

export const rule = containerRule({
  id: RULE_IDS.imagePull,
  title: 'Image cannot be pulled',
  classify: classifyPull,
  // A replica that knows nothing but "Back-off pulling image" fails the way its siblings do.
  informed: (a) => a.informed,
  explain: explainPull,
  plans: pullPlans,
});
