// The console's last line for errors nothing caught. Exactly one is known and harmless:
// postgres.js 3.4.9 writing to a socket it already dropped, from a timer, after the server
// closed the connection (porsager/postgres#1208: "Cannot read properties of null (reading
// 'write')"); the query it belonged to has already failed with CONNECTION_CLOSED and the pool
// reconnects. That one is logged and the process goes on. Anything else is a bug: it is logged
// with its stack and the process exits, as Node would without a handler, and `npm start`'s
// supervisor starts it again. (Next's own handler would log it and carry on in an unknown state.)

/** The driver's null-socket write, recognised by type, message and where it was thrown. */
export function isDriverSocketError(error) {
  return (
    error instanceof TypeError &&
    error.message === "Cannot read properties of null (reading 'write')" &&
    /[\\/]node_modules[\\/]postgres[\\/](src|cjs[\\/]src)[\\/]connection\.js/.test(error.stack ?? "")
  );
}

const line = (level, event, fields) => JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }) + "\n";

/** Replaces every uncaughtException listener (Next's log-and-continue) with the narrow one above. */
export function installUncaughtHandler() {
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", (error, origin) => {
    if (isDriverSocketError(error)) {
      process.stderr.write(line("warn", "db.driver_socket_error", { error: error.message, note: "postgres.js wrote to a closed connection (porsager/postgres#1208); its query already failed" }));
      return;
    }
    process.stderr.write(line("error", "process.uncaught_exception", { origin, error: error instanceof Error ? error.stack : String(error) }));
    process.exit(1);
  });
}
