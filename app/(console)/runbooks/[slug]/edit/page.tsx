import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getRunbookView } from "@/lib/runbooks";
import { EditForm } from "./edit-form";

export const metadata: Metadata = { title: "Edit runbook" };

export default async function EditRunbookPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext("runbooks.edit", `/runbooks/${slug}/edit`);
  if (!ctx) return <Forbidden what="the runbook editor" />;
  const view = await orNotFound(getRunbookView(ctx, slug));
  if (!view.current) notFound();
  return (
    <div className="max-w-5xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runbooks" className="text-accent hover:underline">Runbooks</Link> ›{" "}
        <Link href={`/runbooks/${slug}`} className="text-accent hover:underline">{view.runbook.title}</Link>
      </nav>
      <h1 className="text-2xl font-bold">Edit {view.runbook.title}</h1>
      <p className="text-sm text-muted">
        Editing revision {view.current.number}. Saving makes a new revision; if someone saves first, you will be asked to reload.
      </p>
      <EditForm slug={slug} version={view.runbook.version} markdown={view.current.markdown} />
    </div>
  );
}
