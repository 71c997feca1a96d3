import { describe, expect, it } from "vitest";
import { parseRunbook } from "./index";
import { runsUntilStopped } from "./runs-forever";

describe("runsUntilStopped", () => {
  it("knows commands that run until someone stops them", () => {
    for (const source of [
      "journalctl -u kubelet -f",
      "sudo journalctl -fu kubelet | grep -i error",
      "tail -n 200 -F /var/log/app/current",
      "tail --follow=name /var/log/syslog",
      "kubectl -n ops logs -f deploy/api",
      "oc logs --follow api-7c9 -c proxy",
      "kubectl get pods -n ops -w",
      "kubectl port-forward svc/grafana 3000:80",
      "docker logs -ft cache",
      "docker stats",
      "watch -n 5 'kubectl get nodes'",
      "top",
      "htop",
      "ping 10.0.4.1",
      "sudo tcpdump -nn -i eth0 port 53",
      "vmstat 1",
    ]) {
      expect(runsUntilStopped(source), source).not.toBeNull();
    }
  });

  it("leaves commands that end on their own", () => {
    for (const source of [
      "journalctl -u kubelet --since '10 min ago' --no-pager",
      "journalctl -xe",
      "tail -n 50 /var/log/syslog",
      "kubectl logs deploy/api --since=10m",
      "kubectl logs api-7c9 -cfluentd",
      "kubectl get pods -owide",
      "docker stats --no-stream",
      "top -b -n 1",
      "ping -c 3 10.0.4.1",
      "ping -w 5 db.internal",
      "tcpdump -c 100 -i eth0",
      "tcpdump -r capture.pcap",
      "vmstat 1 5",
      "timeout 30 journalctl -f",
      "echo 'tail -f is for terminals'",
    ]) {
      expect(runsUntilStopped(source), source).toBeNull();
    }
  });

  it("makes such a step not runnable, with the reason and a way out", () => {
    const parsed = parseRunbook("# Logs\n\n```bash\nkubectl -n ops logs -f deploy/api\n```\n", { fileName: "logs.md" });
    expect(parsed.steps[0].runnable).toBe(false);
    expect(parsed.steps[0].commands[0].unreadable).toMatch(/follows the log until it is stopped, so the step would never finish; .*timeout 30/);
    expect(parsed.warnings.some((w) => w.includes("runs until it is stopped"))).toBe(true);
  });
});
