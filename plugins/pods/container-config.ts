// pods/create-container-config: containers that cannot be created because a ConfigMap, a
// Secret or one of their keys is missing (CreateContainerConfigError), and pods stuck in
// ContainerCreating because a volume's ConfigMap or Secret is missing (FailedMount).
import { containerRule } from '../../src/diagnose/container-rule.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { classifyConfigError, classifyMissingVolumes } from './container-config/classify.js';
import { explainConfigError } from './container-config/explain.js';
import { configErrorPlans } from './container-config/plans.js';

export const rule = containerRule({
  id: RULE_IDS.createContainerConfig,
  title: 'Container configuration cannot be built',
  classify: classifyConfigError,
  classifyPod: classifyMissingVolumes,
  explain: explainConfigError,
  plans: configErrorPlans,
});
