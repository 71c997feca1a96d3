import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listUsers } from "@/lib/auth/users";
import { listSignInWaits } from "@/lib/auth/account-recovery";
import { ResetPasswordForm, UnlockButton } from "./recovery-controls";
import { CreateUserForm } from "./create-user-form";
import { UserRowControls } from "./user-row-controls";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const ctx = await pageContext("users.manage", "/admin/users");
  if (!ctx) return <Forbidden what="user administration" />;
  const [users, waits] = await Promise.all([listUsers(ctx), listSignInWaits(ctx)]);
  return (
    <div className="max-w-5xl space-y-6">
      <h1 className="text-2xl font-bold">Users</h1>
      <section aria-labelledby="new-user">
        <h2 id="new-user" className="mb-2 text-lg font-semibold">New user</h2>
        <CreateUserForm />
      </section>
      {waits.length > 0 && (
        <section aria-labelledby="sign-in-waits">
          <h2 id="sign-in-waits" className="mb-2 text-lg font-semibold">Sign-in waits ({waits.length})</h2>
          <p className="mb-2 text-sm text-muted">After repeated failed sign-ins, further attempts from the same address must wait. Clear a wait once you know who it is.</p>
          <div className="panel overflow-x-auto p-0">
            <table className="table">
              <thead><tr><th scope="col">Email</th><th scope="col">Failures</th><th scope="col">Addresses</th><th scope="col">Waiting until</th><th scope="col">Actions</th></tr></thead>
              <tbody>
                {waits.map((w) => (
                  <tr key={w.email}>
                    <td>{w.email}</td>
                    <td>{w.failures}</td>
                    <td>{w.clients}</td>
                    <td className="whitespace-nowrap">{w.blockedUntil.toISOString().replace("T", " ").slice(0, 19)} UTC</td>
                    <td><UnlockButton email={w.email} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <section aria-labelledby="all-users">
        <h2 id="all-users" className="mb-2 text-lg font-semibold">All users ({users.length})</h2>
        <div className="panel overflow-x-auto p-0">
          <table className="table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Last sign-in</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{u.disabledAt ? <span className="badge bg-bg text-sev1">disabled</span> : <span className="badge bg-bg text-ok">active</span>}</td>
                  <td className="whitespace-nowrap">{u.lastSignInAt ? u.lastSignInAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never"}</td>
                  <td>
                    <UserRowControls
                      user={{ id: u.id, email: u.email, role: u.role, version: u.version, disabled: !!u.disabledAt }}
                      isSelf={u.id === ctx.actor.userId}
                    />
                    {u.authProvider === "credentials" && <ResetPasswordForm user={{ id: u.id, email: u.email }} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
