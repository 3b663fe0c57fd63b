// The agents' URLs as a real local HTTP server (`vimp run`): http://127.0.0.1:<port>/<agent id>/…
// reaches that agent's http.onrequest, the way https://agent.electricimp.com/<agent id>/… does
// (developer.electricimp.com /api/http/onrequest: request.path is what follows the agent id).
// Only 127.0.0.1 is listened on: the firmware is the user's, not the network's.
//
// A request arrives in wall time; `deliver` hands it to the simulation's run loop, which brings
// the virtual clock up to the moment and then gives it to the agent. Bodies over 512 KB are
// refused with 413 before the agent sees them.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AgentHttpAnswer } from "../agent/host/agent.ts";
import { CLOUD_ANSWERS, MAX_REQUEST_BODY_BYTES } from "../agent/host/agent.ts";
import { parseAgentPath, type CloudAgents } from "./cloud-agents.ts";

export interface AgentHttpServerOptions {
  /** The port to listen on; 0 for any free one. */
  readonly port: number;
  /** Runs `work` in the simulation at the virtual time that matches now (the run loop's job). */
  readonly deliver: (work: () => void) => void;
}

export class AgentHttpServer {
  private constructor(
    private readonly server: Server,
    /** http://127.0.0.1:<port> */
    readonly baseUrl: string,
  ) {}

  /** Starts listening; rejects when the port is taken. The agents' URLs then point here. */
  static async start(
    agents: CloudAgents,
    options: AgentHttpServerOptions,
  ): Promise<AgentHttpServer> {
    const server = createServer((req, res) => handle(agents, options, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            error.code === "EADDRINUSE"
              ? `port ${options.port} on 127.0.0.1 is in use: give another with --http-port`
              : error.message,
          ),
        ),
      );
      server.listen(options.port, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as { port: number };
    const baseUrl = `http://127.0.0.1:${port}`;
    agents.setUrlBase(baseUrl);
    return new AgentHttpServer(server, baseUrl);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function reply(res: ServerResponse, answer: AgentHttpAnswer): void {
  const body = Buffer.from(answer.body, "latin1");
  res.writeHead(answer.status, { ...answer.headers, "content-length": body.length });
  res.end(body);
}

function handle(
  agents: CloudAgents,
  options: AgentHttpServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const parsed = parseAgentPath(req.url ?? "/");
  if (parsed === null || agents.agentById(parsed.agentId) === undefined) {
    reply(res, { status: 404, headers: { "content-type": "text/plain" }, body: "No such agent" });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on("data", (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) {
      refused = true;
      reply(res, {
        status: CLOUD_ANSWERS.tooLarge.status,
        headers: { "content-type": "text/plain", connection: "close" },
        body: CLOUD_ANSWERS.tooLarge.body,
      });
      req.resume();
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (refused) return;
    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(parsed.query))
      query[Buffer.from(k, "utf8").toString("latin1")] = Buffer.from(v, "utf8").toString("latin1");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    const request = {
      method: req.method ?? "GET",
      path: Buffer.from(safelyDecoded(parsed.path), "utf8").toString("latin1"),
      query,
      headers,
      body: Buffer.concat(chunks).toString("latin1"),
    };
    options.deliver(() => {
      const answer = agents.request(parsed.agentId, request);
      if (answer === null)
        reply(res, {
          status: 404,
          headers: { "content-type": "text/plain" },
          body: "No such agent",
        });
      else void answer.then((a) => reply(res, a));
    });
  });
}

/** A URL path with its %-escapes decoded; as it is when they are malformed. */
function safelyDecoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
