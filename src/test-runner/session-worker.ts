// A worker thread of the session pool (session-pool.ts): runs the sessions it is sent, one at
// a time, and sends back each event and the result.

import { parentPort } from "node:worker_threads";
import { fromWire, type WorkerMessage } from "./session-pool.ts";
import { runSession } from "./test-session.ts";

const port = parentPort;
if (port === null) throw new Error("session-worker.js runs as a worker thread of vimp test");

port.on("message", (wire: unknown) => {
  const post = (message: WorkerMessage) => port.postMessage(message);
  runSession({ ...fromWire(wire), onEvent: (event) => post({ kind: "event", event }) }).then(
    (result) => post({ kind: "result", result }),
    (error: unknown) =>
      post({ kind: "failure", message: error instanceof Error ? error.message : String(error) }),
  );
});
