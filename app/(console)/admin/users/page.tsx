import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listUsers } from "@/lib/auth/users";
import { CreateUserForm } from "./create-user-form";
import { UserRowControls } from "./user-row-controls";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const ctx = await pageContext("users.manage", "/admin/users");
  if (!ctx) return <Forbidden what="user administration" />;
  const users = await listUsers(ctx);
  return (
    <div className="max-w-5xl space-y-6">
      <h1 className="text-2xl font-bold">Users</h1>
      <section aria-labelledby="new-user">
        <h2 id="new-user" className="mb-2 text-lg font-semibold">New user</h2>
        <CreateUserForm />
      </section>
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
