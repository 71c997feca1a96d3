import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { Providers } from "@/app/_components/providers";
import { pageContext } from "@/app/_lib/page-context";
import { getBoard } from "@/lib/environments";
import { NotFoundError } from "@/lib/errors";
import { HealthBoard } from "./health-board";

export const metadata: Metadata = { title: "Health board" };

export default async function HealthPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const ctx = await pageContext("environments.read", `/environments/${name}/health`);
  if (!ctx) return <Forbidden what="environments" />;
  let board;
  try {
    board = await getBoard(ctx, decodeURIComponent(name));
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  return (
    <Providers>
      <HealthBoard initial={board} />
    </Providers>
  );
}
