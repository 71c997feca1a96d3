import { SoftLink } from "@/app/_components/soft-link";

/** notFound() anywhere in the console: HTTP 404, inside the console's frame. */
export default function NotFoundPage() {
  return (
    <div role="alert" className="panel max-w-xl">
      <h1 className="text-xl font-bold">Not found</h1>
      <p className="mt-2 text-muted">There is nothing at this address. It may have been removed, or the link has a typo.</p>
      <p className="mt-3"><SoftLink className="text-accent underline" href="/">Back to the overview</SoftLink></p>
    </div>
  );
}
