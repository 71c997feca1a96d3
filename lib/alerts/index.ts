// Alerts in: webhook sources, the one alert model (Sitrep's trigger rules included), the inbox,
// routing rules with auto-declare, silences, and alerts on incidents.
export { ALERTS_CHANNEL, ingestAlerts, type IngestResult } from "./ingest";
export { receiveWebhook, MAX_WEBHOOK_BYTES, type WebhookAnswer } from "./webhook";
export { createSource, rotateSourceSecret, revokeSource, updateSource, listSources, ensureSitrepSource, SITREP_SOURCE_NAME, type SourceView, type NewSecret } from "./sources";
export { createRoutingRule, updateRoutingRule, moveRoutingRule, deleteRoutingRule, listRoutingRules, route, type Routing } from "./routing";
export { acknowledgeAlert, attachAlert } from "./attach";
export { silenceAlert, expireSilence } from "./silences";
export { declareFromAlert, declareDefaults } from "./declare";
export { autoDeclareTick } from "./auto-declare";
export { listInbox, bannerGroups, getAlert, alertHistory, incidentAlerts, openIncidentChoices, activeSilences, listEnvironmentNames, type AlertView, type AlertGroupView, type Inbox, type IncidentAlertsState, type IncidentRef } from "./queries";
export { matchRunbook, loadRunbookIndex, type RunbookMatch } from "./runbook-match";
export { openAlertStream } from "./live";
export { durationWords } from "./format";
export { matcherText } from "./matchers";
export { signBody } from "./secrets";
export * from "./schemas";
export { normaliseSeverity, labelFingerprint, SEVERITIES, type IncomingAlert, type Severity } from "./model";
export { chartForAlert, type AlertChart } from "./charts";
export { runbookSections, type SectionText } from "./runbook-sections";
