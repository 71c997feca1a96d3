import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { runbookTemplate } from "@/lib/runbooks/template";
import { CreateForm } from "./create-form";

export const metadata: Metadata = { title: "New runbook" };

export default async function NewRunbookPage({ searchParams }: { searchParams: Promise<{ title?: string; slug?: string; category?: string }> }) {
  const ctx = await pageContext("runbooks.edit", "/runbooks/new");
  if (!ctx) return <Forbidden what="runbook creation" />;
  const sp = await searchParams;
  const title = (sp.title ?? "").slice(0, 200);
  return (
    <div className="max-w-5xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runbooks" className="text-accent hover:underline">Runbooks</Link>
      </nav>
      <h1 className="text-2xl font-bold">New runbook</h1>
      <p className="text-sm text-muted">
        The text starts from the library template: header lines, symptoms, immediate actions, diagnosis, resolution options,
        verification, post-incident, related runbooks, contacts and the Validation Log.
      </p>
      <CreateForm
        title={title}
        slug={(sp.slug ?? "").slice(0, 120)}
        category={(sp.category ?? "").slice(0, 120)}
        markdown={runbookTemplate({ title: title || "New runbook" })}
        fromPending={!!sp.slug}
      />
    </div>
  );
}
