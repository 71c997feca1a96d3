import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { Providers } from "@/app/_components/providers";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getBoard } from "@/lib/environments";
import { HealthBoard } from "./health-board";

export const metadata: Metadata = { title: "Health board" };

export default async function HealthPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const ctx = await pageContext("environments.read", `/environments/${name}/health`);
  if (!ctx) return <Forbidden what="environments" />;
  const board = await orNotFound(getBoard(ctx, decodeURIComponent(name)));
  return (
    <Providers>
      <HealthBoard initial={board} />
    </Providers>
  );
}
