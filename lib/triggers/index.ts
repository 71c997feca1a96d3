export { DEFAULT_RULES, RULE_KEYS, ensureTriggerRules, listRules, updateRule, updateRuleSchema, type RuleKey } from "./rules";
export { evaluateTriggers, type TriggerChange } from "./evaluate";
export { activeTriggers, playbookOfIncident, type TriggerView } from "./queries";
export { ruleThresholds, RULE_METRIC } from "./as-alert";
