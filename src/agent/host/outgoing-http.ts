// An agent's outgoing HTTP (developer.electricimp.com /api/httprequest): real requests through
// Node's fetch (undici). The answer comes back as the imp's response table; a request that could
// not be made gets a status code below 100, as the imp reports libcurl's error code there
// (/api/httprequest/sendsync: "code must not rely on specific values") — the values chosen here
// are curl's own: 3 malformed URL, 6 host not resolved, 7 could not connect, 28 timed out,
// 52 empty reply, 56 failure receiving.
//
// sendasync runs on Node's event loop; sendsync blocks the whole host process until the answer
// (the agent is blocked on the imp too): it runs the same request in a child Node process and
// waits for it, so the peer must not be served by this same process.

import { spawnSync } from "node:child_process";
import type { HttpResponse, OutgoingRequest } from "../shared/agent-host-calls.ts";

export const CURL_ERRORS = {
  malformedUrl: 3,
  hostNotResolved: 6,
  couldNotConnect: 7,
  timedOut: 28,
  emptyReply: 52,
  receiveFailed: 56,
} as const;

/** chosen: sendsync's timeout, which the docs do not give, in seconds. */
export const SENDSYNC_TIMEOUT_SECONDS = 60;

function failure(statuscode: number, message: string): HttpResponse {
  return { statuscode, headers: {}, body: message };
}

/** The curl-like code for a fetch failure. */
export function transportErrorCode(error: unknown): number {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? "";
  if (
    (error as { name?: string }).name === "TimeoutError" ||
    (error as { name?: string }).name === "AbortError"
  )
    return CURL_ERRORS.timedOut;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return CURL_ERRORS.hostNotResolved;
  if (code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return CURL_ERRORS.couldNotConnect;
  if (code === "UND_ERR_SOCKET" || code === "ECONNRESET") return CURL_ERRORS.emptyReply;
  return CURL_ERRORS.receiveFailed;
}

function headerObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** Makes one request; never rejects. `signal` cancels or times it out. */
export async function sendRequest(
  request: OutgoingRequest,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return failure(CURL_ERRORS.malformedUrl, `malformed URL: ${request.url}`);
  }
  const withBody = request.method !== "GET" && request.method !== "HEAD" && request.body.length > 0;
  try {
    const res = await fetch(url, {
      method: request.method,
      headers: request.headers,
      body: withBody ? Buffer.from(request.body, "latin1") : undefined,
      signal,
      redirect: "manual",
    });
    const body = Buffer.from(await res.arrayBuffer()).toString("latin1");
    return { statuscode: res.status, headers: headerObject(res.headers), body };
  } catch (error) {
    return failure(
      transportErrorCode(error),
      error instanceof Error ? error.message : String(error),
    );
  }
}

// The child that makes a sendsync request: it reads the request as JSON on stdin and writes the
// response as JSON on stdout.
const CHILD = `
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", async () => {
  const { request, timeoutMs, codes } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const out = (r) => process.stdout.write(JSON.stringify(r));
  let url;
  try { url = new URL(request.url); } catch { out({ statuscode: codes.malformedUrl, headers: {}, body: "malformed URL" }); return; }
  const withBody = request.method !== "GET" && request.method !== "HEAD" && request.body.length > 0;
  try {
    const res = await fetch(url, { method: request.method, headers: request.headers,
      body: withBody ? Buffer.from(request.body, "latin1") : undefined, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    const body = Buffer.from(await res.arrayBuffer()).toString("latin1");
    const headers = {};
    res.headers.forEach((v, k) => { headers[k.toLowerCase()] = v; });
    out({ statuscode: res.status, headers, body });
  } catch (e) {
    const code = (e.cause && e.cause.code) || e.code || "";
    let s = codes.receiveFailed;
    if (e.name === "TimeoutError" || e.name === "AbortError") s = codes.timedOut;
    else if (code === "ENOTFOUND" || code === "EAI_AGAIN") s = codes.hostNotResolved;
    else if (code === "ECONNREFUSED" || code === "EHOSTUNREACH") s = codes.couldNotConnect;
    else if (code === "UND_ERR_SOCKET" || code === "ECONNRESET") s = codes.emptyReply;
    out({ statuscode: s, headers: {}, body: String(e.message) });
  }
});
`;

/** sendsync: the request made while this process waits. */
export function sendRequestSync(
  request: OutgoingRequest,
  timeoutSeconds = SENDSYNC_TIMEOUT_SECONDS,
): HttpResponse {
  const timeoutMs = Math.round(timeoutSeconds * 1000);
  const child = spawnSync(process.execPath, ["-e", CHILD], {
    input: JSON.stringify({ request, timeoutMs, codes: CURL_ERRORS }),
    encoding: "utf8",
    timeout: timeoutMs + 5_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error !== undefined || child.status !== 0) {
    return failure(
      CURL_ERRORS.timedOut,
      `sendsync: the request did not complete (${child.error?.message ?? child.stderr})`,
    );
  }
  return JSON.parse(child.stdout) as HttpResponse;
}
