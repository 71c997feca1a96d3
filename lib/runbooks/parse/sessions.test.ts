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
      "oc debug node/worker-3 -- chroot /host",
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
      "gcloud compute ssh node-7 --zone europe-west1-b",
      "docker run -it --rm -v /data:/data busybox sh",
      "kubectl run debug -it --rm --image=busybox -- sh",
      "aws ssm start-session --target i-0abc",
      "sudo -i docker-machine ssh runner-12",
      "vagrant ssh",
      "sudo -E -s",
      "sudo -iu postgres",
      "ssh -t bastion.internal sudo -i",
      "nsenter -t 1 -m -u -n -i -- bash",
      "nsenter --target 1 --mount",
      "make connect container=master",
      "make -C ops shell",
      "just db-shell",
      "make ssh-master",
      "docker compose exec web bash",
      "docker-compose exec -u postgres db psql",
      "kubectl attach -it writer-0",
      "gitlab-rails console",
      "sudo gitlab-rails c",
      "bundle exec rails console -e production",
      "gitlab-psql",
      "tmux attach -t ops",
      "screen -r ops",
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
      "gcloud compute ssh node-7 --command 'uptime'",
      "docker run --rm busybox df -h",
      "kubectl run probe --image=busybox --restart=Never -- wget -qO- http://web",
      "sudo -u postgres psql -c 'select 1'",
      "make deploy ENV=staging",
      "make shell-check",
      "make lint-shell",
      "make -C ops check",
      "docker compose exec -T db psql -c 'select 1'",
      "docker compose exec web ls /srv",
      "gitlab-rails runner 'puts User.count'",
      "gitlab-psql -c 'select 1'",
      "tmux send-keys -t ops 'uptime' Enter",
      "tmux kill-session -t ops",
      "tmux new -d -s ops 'top -b'",
      "screen -dmS ops ./long-job.sh",
      "sudo -i systemctl restart kubelet",
      "ssh -t bastion.internal top -bn1",
      "nsenter -t 1 -m -- df -h",
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

describe("what else a step cannot run as written", () => {
  const parse = (...lines: string[]) => parseRunbook(["# Node", "", "## Diagnosis", "", ...lines, ""].join("\n"), { fileName: "node.md" });

  it("a later step the text places inside the session opened before it", () => {
    const r = parse("Open a shell in the pod:", "", "```bash", "kubectl exec -it db-0 -- bash", "```", "", "Inside the pod, remove the stale lock:", "", "```bash", "rm -f /data/lock", "```", "", "## Cleanup", "", "Back on your machine:", "", "```bash", "kubectl get pods", "```");
    expect(r.steps.map((s) => s.runnable !== false)).toEqual([false, false, true]);
    expect(r.steps[1].commands[0].unreadable).toMatch(/meant for a session in the container that `kubectl exec -it db-0 -- bash` \(line 8\) opens/);
  });

  it("a step the text sends to another machine (\"SSH into the worker node\"), and the steps after it until the text comes back", () => {
    const r = parse(
      "SSH into the affected worker node and read the kubelet's log:", "", "```shell", "journalctl -u kubelet --since '10 min ago'", "```", "",
      "Then on the node, restart it:", "", "```shell", "systemctl restart kubelet", "```", "",
      "Back on your workstation, log in to the cluster and list the pods:", "", "```shell", "oc get pods -n openshift-monitoring", "```", "",
      "- Exec into the prometheus pod and run `df -h /prometheus`",
      "- Check the pods: `kubectl get pods -A`",
    );
    expect(r.steps.map((s) => s.runnable !== false)).toEqual([false, false, true, false, true]);
    expect(r.steps[0].commands[0].unreadable).toBe('the text says to run it in a session on the affected worker node ("SSH into the affected worker node"), not on the host that runs the step');
    expect(r.steps[3].commands[0].unreadable).toMatch(/in a shell in the prometheus pod/);
    expect(r.warnings.some((w) => /^Line 8: the text says to run this step in a session on the affected worker node/.test(w))).toBe(true);
  });

  it("the step that opens the session itself is judged as a command, not by the words before it", () => {
    const r = parse("SSH into the bastion host:", "", "```shell", "ssh -p 2222 ops@bastion", "```", "", "- Log in to the node and look at the disk: `df -h`");
    expect(r.steps[0].commands[0].unreadable).toMatch(/^it opens a login on another host/);
    expect(r.steps[1].runnable).toBe(false);
  });

  it("a login the text asks for holds for the rest of the section, but not for cluster clients", () => {
    const r = parse(
      "1. SSH into the affected node or connect via the serial console.",
      "2. Check the disk: `df -h /var`",
      "3. Restart the services: `sudo systemctl restart mqtt-client`",
      "4. Check the node from the cluster: `kubectl describe node edge-3`",
      "",
      "## Verification",
      "",
      "- `sudo systemctl status mqtt-client`",
    );
    expect(r.steps.map((s) => s.runnable !== false)).toEqual([false, false, true, true]);
  });

  it("a heading can send its section elsewhere, and SSH access to the nodes counts", () => {
    const r = parse("### SSH into the node", "", "```shell", "sudo rm -rf /var/lib/kubelet/pki/*", "```");
    expect(r.steps[0].runnable).toBe(false);
    const k = parse("If you have SSH access to the nodes, read the kubelet's log directly:", "", "```shell", "journalctl -b -f -u kubelet.service", "```");
    expect(k.steps[0].runnable).toBe(false);
  });

  it("not for a step whose own command does the remote work, nor for words that name no machine", () => {
    const r = parse(
      "Exec into the pod and check the endpoint:", "", "```shell", "kubectl exec -n docs $POD -- wget -qO- http://localhost:8080/healthz", "```", "",
      "## Replication", "", "Connect to the primary database server and check replication:", "", "```shell", "psql -h db-primary.internal -c 'select 1'", "```", "",
      "## Nodes", "", "Log in to the cluster as an administrator, then log in to the node pool console:", "", "```shell", "kubectl get nodes", "```",
    );
    expect(r.steps.map((s) => s.runnable !== false)).toEqual([true, true, true]);
  });

  it("a command substitution is one word: `oc rsh … $(…)` and `ssh core@$(…)` open sessions; `kubectl exec -it pod bash` without --", () => {
    expect(sessionOpenedBy("oc rsh -c etcdctl -n openshift-etcd $(oc get pod -l app=etcd -o name | head -1)")).toBe("a shell in the pod");
    expect(sessionOpenedBy("ssh core@$(terraform output -raw master_ip)")).toBe("a login on another host");
    expect(sessionOpenedBy("kubectl exec -it web-0 bash")).toBe("a session in the container");
    expect(sessionOpenedBy("kubectl exec -it {pod-name} -c api-server /bin/bash")).toBe("a session in the container");
  });

  it("a session the text announces (code spans and all) and the step's command opens holds for the section", () => {
    const r = parse(
      "To query the store, `rsh` into the `etcdctl` container of a store pod.", "", "```console", "$ oc rsh -c etcdctl -n store $(oc get pod -l app=store -o name | head -1)", "```", "",
      "Check the version:", "", "```console", "$ etcdctl version", "```", "",
      "List the pods:", "", "```console", "$ oc get pods -n store", "```", "",
      "## Compaction", "", "```console", "$ etcdctl endpoint status", "```",
    );
    expect(r.steps.map((s) => s.runnable !== false)).toEqual([false, false, true, true]);
    expect(r.steps[1].commands[0].unreadable).toMatch(/meant for a shell in the pod that `oc rsh -c etcdctl/);
  });

  it("a step the text places in every pod (\"in all store pods\"), but not a cluster client", () => {
    const r = parse("Run the following command in all store pods.", "", "```console", "$ etcdctl defrag", "```", "", "Then look at them in all store pods:", "", "```console", "$ kubectl get pods -n store", "```");
    expect(r.steps.map((s) => s.runnable !== false)).toEqual([false, true]);
    expect(r.steps[0].commands[0].unreadable).toMatch(/in a shell in all store pods/);
  });

  it("a later step without such words stays runnable", () => {
    const r = parse("```bash", "oc debug node/worker-3", "```", "", "Then check the pods:", "", "```bash", "oc get pods -A", "```");
    expect(r.steps.map((s) => s.runnable !== false)).toEqual([false, true]);
  });

  it("lines of a labelled block that read as output", () => {
    const r = parse("```shell", "sudo ls -l /etc/app", "total 8", "-rw-r--r-- 1 root root 1.1K May 20 app.conf", "```");
    expect(r.steps[0].runnable).toBe(false);
    expect(r.steps[0].commands.map((c) => !!c.unreadable)).toEqual([false, true, true]);
    expect(r.warnings.some((w) => /`total 8` reads as output/.test(w))).toBe(true);
  });

  it("a prompt for typing, a password prompt, and alternatives", () => {
    expect(parse("```bash", 'for n in $(kubectl get nodes -o name); do kubectl drain "$n"; read -p "next?" ok; done', "```").steps[0].runnable).toBe(false);
    expect(parse("```bash", "mysql -u root -p -e 'show processlist'", "```").steps[0].runnable).toBe(false);
    expect(parse("```bash", "mysql -u root -e 'show processlist'", "```").steps[0].runnable).not.toBe(false);
    const alternatives = parse("```bash", "sudo systemctl restart app-a", "# or", "sudo systemctl restart app-b", "```");
    expect(alternatives.steps[0].runnable).toBe(false);
    expect(alternatives.warnings.join(" ")).toMatch(/offers alternatives/);
    expect(parse("```bash", "kubectl get pods | while read -r name rest; do echo $name; done", "```").steps[0].runnable).not.toBe(false);
    // An editor waits for someone to save.
    for (const source of ["kubectl -n store edit deploy/api", "oc edit dns.operator/default", "sudo vim /etc/hosts", "crontab -e", "systemctl edit kubelet"]) {
      expect(parse("```bash", source, "```").steps[0].runnable, source).toBe(false);
    }
    expect(parse("```bash", "kubectl -n store get deploy/api -o yaml", "```").steps[0].runnable).not.toBe(false);
  });
});
