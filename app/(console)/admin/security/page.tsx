import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { getImageHosts } from "@/lib/http/image-hosts";
import { ImageHostsForm } from "./image-hosts-form";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const ctx = await pageContext("settings.manage", "/admin/security");
  if (!ctx) return <Forbidden what="security settings" />;
  const { hosts, version } = await getImageHosts(ctx.db);
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">Security</h1>
      <section aria-labelledby="images" className="space-y-2">
        <h2 id="images" className="text-lg font-semibold">Images in markdown</h2>
        <p className="text-sm text-muted">
          Browsers load images in runbooks, notes and updates only from this console and the hosts listed here (the pages&apos; Content-Security-Policy says so). Every change is audited.
        </p>
        <ImageHostsForm hosts={hosts} version={version} />
      </section>
    </div>
  );
}
