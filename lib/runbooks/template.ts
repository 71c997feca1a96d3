// The starting text of a new runbook. It follows the section list of the library's index
// (header lines, symptoms, first actions, diagnosis, resolution options, verification,
// follow-up, related runbooks, contacts, validation log), in Sitrep's own words.
export function runbookTemplate(input: { title: string; today?: string }): string {
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const title = input.title.trim() || "New runbook";
  return `# ${title}

**Scenario:** When this runbook applies, in one sentence.
**Severity:** SEV2
**Owner:** The team that keeps this procedure current
**Last Updated:** ${today}
**Last Validated:** never

---

## Symptoms

- What an alert or a user report looks like when this happens
- Which dashboard or metric moves first

---

## Immediate Actions

1. **Look** — confirm the symptom with a read-only check.
   \`\`\`bash
   curl -fsS http://127.0.0.1:8000/health
   \`\`\`
2. **Limit the damage** — pause risky automation, switch off the feature, or shed load.
3. **Tell people** — open an incident, name a commander, post the first status update.

---

## Diagnosis

### Check 1: Name of the check
\`\`\`bash
./scripts/runtime-health-check.sh
\`\`\`

**Healthy looks like:** what the output shows when all is well.
**When it fails:** what to look at next.

---

## Resolution

### Option A: The usual fix
1. First step, with its command in a fenced block.
2. Confirm the fix took effect.

### Option B: When option A does not help
1. Fallback step.
2. Escalate if this fails too.

---

## Verification

- [ ] The check that showed the problem passes again
- [ ] Error rate and queue depth are back to their usual range
- [ ] Nobody still reports the problem

---

## Post-Incident

1. **Close the loop** — resolve the incident and post the final status update.
2. **Timeline** — make sure the key moments are recorded.
3. **Review** — hold the postmortem within two working days.
4. **This runbook** — write down what was missing or wrong.

---

## Related Runbooks

- Add links to related runbooks here.

---

## Contacts

- **Incident commander on call:** who to page
- **Escalation:** the owning team's channel

---

## Validation Log

| Date | Validator | Environment | Result | Notes |
|------|-----------|-------------|--------|-------|
`;
}
