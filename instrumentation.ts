// Runs once when a server process starts. The runtime check must stay here: the edge runtime
// cannot load the database code.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startup } = await import("./lib/startup");
    await startup();
  }
}
