import { describe, expect, it } from "vitest";
import { parseRunbook } from "./index";
import { sessionOpenedBy } from "./sessions";

describe("sessionOpenedBy", () => {
  it("knows commands that open an interactive session", () => {
    for (const source of [
      "kubectl exec -it writer-0 -n storage -- bash",
      "oc exec -ti writer-0 -- /bin/sh",
      "kubectl -n storage exec --stdin --tty writer-0 -- psql -U app",
      "oc rsh writer-0",
      "oc rsh -c sidecar writer-0",
      "oc debug node/worker-3",
      "kubectl debug node/worker-3 -it --image=busybox",
      "docker exec -it cache redis-cli",
      "ssh -i ~/.ssh/ops.pem ops@10.0.4.2",
      "ssh bastion.internal",
      "ssh -N -L 8443:web.internal:443 bastion.internal",
      "chroot /host",
      "sudo -i",
      "sudo su - postgres",
      "psql -h db.internal -U reader app",
      "mysql -u root -p",
      "redis-cli -h cache.internal -p 6380",
    ]) {
      expect(sessionOpenedBy(source), source).not.toBeNull();
    }
  });

  it("leaves commands that run and end on their own", () => {
    for (const source of [
      "kubectl exec writer-0 -- df -h",
      "kubectl exec -it writer-0 -- sh -c 'df -h'",
      "oc rsh writer-0 cat /etc/os-release",
      "oc debug node/worker-3 -- chroot /host journalctl -u kubelet --since -1h",
      "ssh bastion.internal uptime",
      "chroot /host systemctl status kubelet",
      "sudo systemctl restart kubelet",
      "psql -h db.internal -c 'select 1'",
      "psql -h db.internal -f fix.sql",
      "mysql -e 'show processlist'",
      "redis-cli -h cache.internal info memory",
      "echo 'select 1' | psql",
      "bash ./scripts/check.sh",
    ]) {
      expect(sessionOpenedBy(source), source).toBeNull();
    }
  });
});

describe("a step whose block enters a session", () => {
  it("is shown but cannot run: the commands after the session are meant for it", () => {
    const md = ["# Kubelet down", "", "## Diagnosis", "", "```bash", "oc debug node/worker-3", "chroot /host", "journalctl -u kubelet --since -1h", "```", "", "Elsewhere:", "", "```bash", "journalctl -u kubelet --since -1h", "```", ""].join("\n");
    const r = parseRunbook(md, { fileName: "kubelet.md" });
    const [inside, alone] = r.steps;
    expect(inside.runnable).toBe(false);
    expect(inside.commands.map((c) => !!c.unreadable)).toEqual([true, true, true]);
    expect(inside.commands[2].unreadable).toMatch(/meant for a shell in a debug pod that `oc debug node\/worker-3` \(line 6\) opens/);
    expect(r.warnings.some((w) => /^Line 6: `oc debug node\/worker-3` opens a shell in a debug pod; the commands after it are meant for that session/.test(w))).toBe(true);
    // The same command elsewhere is not touched (the analyser shares equal commands' results).
    expect(alone.runnable).not.toBe(false);
    expect(alone.commands[0].unreadable).toBeUndefined();
  });

  it("an inline command that opens a shell is not runnable either", () => {
    const r = parseRunbook("# Cache\n\n## Diagnosis\n\n- Open a shell with `kubectl exec -it cache-0 -- sh` and look around.\n", { fileName: "cache.md" });
    expect(r.steps[0].runnable).toBe(false);
  });
});
