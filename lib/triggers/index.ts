export { DEFAULT_RULES, RULE_KEYS, ensureTriggerRules, listRules, updateRule, updateRuleSchema, type RuleKey } from "./rules";
export { evaluateTriggers, TRIGGER_CHANNEL, type TriggerChange } from "./evaluate";
export { activeTriggers, findTrigger, playbookOfIncident, type TriggerView } from "./queries";
export { ruleThresholds, RULE_METRIC } from "./as-alert";
