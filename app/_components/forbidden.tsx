export function Forbidden({ what }: { what: string }) {
  return (
    <div role="alert" className="panel max-w-xl">
      <h1 className="text-xl font-bold">Not allowed</h1>
      <p className="mt-2 text-muted">Your role cannot open {what}. The attempt was recorded in the audit log.</p>
    </div>
  );
}
