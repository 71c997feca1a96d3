import { describe, expect, it } from "vitest";
import { describeFindings, fillTemplate, findSensitive, highlightPieces, type FindingKind } from "./public-text";

const PEOPLE = ["Corin Commander", "Rowan Responder", "Ada Admin", "Mei-Ling Zhou", "Will Grant"];
const kinds = (text: string, cadenceMinutes: number | null = 30) => findSensitive(text, { people: PEOPLE, cadenceMinutes }).map((f) => [f.kind, f.match]);

describe("the check before publish flags", () => {
  const positives: [string, FindingKind, string][] = [
    ["host 10.0.3.7 stopped answering", "ip", "10.0.3.7"],
    ["traffic from 192.168.1.0/24 was dropped", "ip", "192.168.1.0/24"],
    ["the proxy at 172.16.4.20:8443 failed", "ip", "172.16.4.20:8443"],
    ["requests to 2001:db8::1 timed out", "ip", "2001:db8::1"],
    ["the link-local fe80::1ff:fe23:4567:890a answered", "ip", "fe80::1ff:fe23:4567:890a"],
    ["we restarted db-primary-07 to recover", "host", "db-primary-07"],
    ["the node web-03 was drained", "host", "web-03"],
    ["ip-10-0-3-7 was replaced", "host", "ip-10-0-3-7"],
    ["db01 ran out of disk", "host", "db01"],
    ["redis2 lost its replica", "host", "redis2"],
    ["checks against api.corp.internal failed", "host", "api.corp.internal"],
    ["the resolver cache.svc.cluster.local was slow", "host", "cache.svc.cluster.local"],
    ["db1.prod.example.com was overloaded", "host", "db1.prod.example.com"],
    ["a fix: `systemctl restart api`", "command", "`systemctl restart api`"],
    ["we ran systemctl restart nginx.service on the box", "command", "systemctl restart nginx.service"],
    ["ran sudo reboot on it", "command", "sudo reboot"],
    ["with kubectl rollout undo deploy/checkout it recovered", "command", "kubectl rollout undo deploy/checkout"],
    ["after rm -rf /var/cache/app it recovered", "command", "rm -rf /var/cache/app"],
    ["we ran scripts/rollback.sh to go back", "command", "scripts/rollback.sh"],
    ["the setting in /etc/nginx/nginx.conf was wrong", "command", "/etc/nginx/nginx.conf"],
    ["$ psql -c 'select 1'", "command", "$ psql -c 'select 1'"],
    ["redeployed with --force-recreate", "command", "--force-recreate"],
    ["ssh deploy@bastion went fine", "command", "ssh deploy@bastion"],
    ["then nginx -s reload fixed it", "command", "nginx -s reload"],
    ["curl -sf https://api.example.com/health returned 503", "command", "curl -sf https://api.example.com/health"],
    ["write to oncall@acme.example if it persists", "email", "oncall@acme.example"],
    ["contact Corin.Commander@example.com", "email", "Corin.Commander@example.com"],
    ["this is tracked as INC-42", "incident", "INC-42"],
    ["see inc-1234 for detail", "incident", "inc-1234"],
    ["Corin Commander decided to roll back", "person", "Corin Commander"],
    ["rowan responder saw it first", "person", "rowan responder"],
    ["Rowan saw it first", "person", "Rowan"],
    ["thanks to Zhou for the fix", "person", "Zhou"],
    ["Mei-Ling restarted it", "person", "Mei-Ling"],
    ["ping @rowan for details", "person", "@rowan"],
    ["Next update within the hour.", "promise", "within the hour"],
    ["We will share more in 45 minutes.", "promise", "in 45 minutes"],
    ["Next update in 2 hours.", "promise", "in 2 hours"],
  ];
  for (const [text, kind, match] of positives) {
    it(`${kind}: ${text}`, () => {
      expect(kinds(text)).toContainEqual([kind, match]);
    });
  }
});

describe("the check leaves alone", () => {
  const negatives = [
    "Some customers cannot complete checkout. We are investigating.",
    "A fix is in place and things are recovering. We are watching closely.",
    "Error rates rose at 10:30 UTC and recovered by 11:05 UTC.",
    "About 99.9% of requests succeeded; version 2.4.1 of the mobile app is affected.",
    "Customers on iOS 17.2 may see slow loading, e.g. on the payments page.",
    "Visit www.example.com or status.example.com for more.",
    "The service will be back soon; we may need another hour to be sure.",
    "This is a SEV-1 for us, and HTTP-500 errors were seen by some users.",
    "Our admin team and the support team are on it.",
    "Will this affect my invoices? No, invoices are safe.",
    "We mark this as resolved. Grant access requests are processed normally.",
    "Requests to the API failed with a timeout in the EU region.",
    "Some users saw errors when they tried to restart their sessions.",
    "Next update within 30 minutes, or sooner if anything changes.",
    "We will post an update in 15 minutes.",
    "The problem lasted 2 hours; it is fixed now.",
    "Payments failed for 20 minutes around noon.",
    "Uploads over 5 MB failed; smaller files worked.",
    "We apologise for the trouble: cat videos and all other uploads work again.",
    "Our vault service and the nginx proxy layer were slow; we had to dig into it.",
    "Curl up with a book: the reading app works again.",
    "Some sudo-like admin screens in the dashboard were slow.",
  ];
  for (const text of negatives) {
    it(text, () => {
      expect(kinds(text)).toEqual([]);
    });
  }
});

describe("promises and cadence", () => {
  it("within the hour is fine for an hourly cadence, too long for 30 minutes, unchecked without a cadence", () => {
    const text = "Next update within the hour.";
    expect(kinds(text, 60)).toEqual([]);
    expect(kinds(text, 30)).toEqual([["promise", "within the hour"]]);
    expect(kinds(text, null)).toEqual([]);
  });

  it("templates say the cadence of their severity, and nothing without one", () => {
    const body = "Part of the service is affected. {next_update}";
    expect(fillTemplate(body, 30)).toBe("Part of the service is affected. We will post the next update within 30 minutes, or sooner if anything changes.");
    expect(fillTemplate(body, 60)).toContain("within the hour");
    expect(fillTemplate(body, 120)).toContain("within 2 hours");
    expect(fillTemplate(body, null)).toBe("Part of the service is affected. We will post an update as soon as we know more.");
    for (const cadence of [15, 30, 45, 60, 90]) expect(kinds(fillTemplate(body, cadence), cadence)).toEqual([]);
  });
});

describe("highlighting", () => {
  it("splits the text around each finding, once per overlapping piece", () => {
    const text = "host 10.0.3.7 ran `systemctl restart api` for Rowan";
    const findings = findSensitive(text, { people: PEOPLE });
    expect(findings.map((f) => f.kind)).toEqual(["ip", "command", "person"]);
    const pieces = highlightPieces(text, findings);
    expect(pieces.map((p) => p.text).join("")).toBe(text);
    expect(pieces.filter((p) => p.finding).map((p) => p.text)).toEqual(["10.0.3.7", "`systemctl restart api`", "Rowan"]);
    expect(describeFindings(findings)).toBe("IP address “10.0.3.7”, Command or file path “`systemctl restart api`”, Person's name “Rowan”");
  });
});
