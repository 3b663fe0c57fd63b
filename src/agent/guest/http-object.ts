// The agent's `http` object (developer.electricimp.com /api/http): incoming requests to the
// agent's URL (http.onrequest with a request table and an httpresponse), outgoing requests
// (httprequest: sendasync / sendsync / cancel), and the encoding helpers.

import { tableGet, tableKeys, tableSet } from "../../runtime/access.ts";
import { toStr } from "../../runtime/convert.ts";
import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { truthy } from "../../runtime/ops.ts";
import { toFloatValue } from "../../runtime/stdlib/clib.ts";
import { SqTable, typeOf } from "../../runtime/values.ts";
import type { SqClass, SqInstance } from "../../runtime/values.ts";
import { apiClass, apiInstance, apiTable } from "../../device/guest/api-object.ts";
import { blobToByteString, newBlob } from "../../device/guest/blob.ts";
import { fromHostJson } from "../../device/guest/squirrel-json.ts";
import { hashNatives, type DigestCall } from "../../device/guest/crypto-object.ts";
import type { HttpResponse, IncomingRequest, OutgoingRequest } from "../shared/agent-host-calls.ts";
import { callbacks, HandlerSlot } from "./agent-callbacks.ts";
import { host, viaHost } from "./agent-host.ts";
import { identity } from "./agent-identity.ts";
import { JSON_DECODE_MAX_NESTING, jsonDecode, jsonEncode, JsonEncodeError } from "./json-codec.ts";
import { base64Decode, base64Encode, urlDecode, urlEncode } from "./text-encodings.ts";

/** sendasync's default timeout, in seconds (developer.electricimp.com /api/httprequest/sendasync). */
export const DEFAULT_SENDASYNC_TIMEOUT = 600;
/** chosen value for the constant NO_TIMEOUT (sendasync's "no timeout"): its real value is not published. */
export const NO_TIMEOUT = -1;

/** `http` members the real agent has that the emulator does not. */
const NOT_EMULATED = ["requeststream", "poststream", "putstream"];

function bytesOf(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  const b = blobToByteString(v);
  if (b === undefined) sqError(`${what} must be a string or a blob, not ${typeOf(v)}`);
  return b;
}

function headersOf(v: unknown, what: string): Record<string, string> {
  if (v === null || v === undefined) return {};
  if (!(v instanceof SqTable)) sqError(`${what}: the headers must be a table, not ${typeOf(v)}`);
  const out: Record<string, string> = {};
  for (const k of tableKeys(v)) out[toStr(k)] = toStr(tableGet(v, k));
  return out;
}

// ---- outgoing: httprequest objects, each sent once

interface RequestState {
  readonly request: OutgoingRequest;
  sent: boolean;
  handle: number;
  doneId: number;
}

const requests = new WeakMap<object, RequestState>();
let requestClass: SqClass | undefined;

function responseTable(json: string): SqTable {
  const r = JSON.parse(json) as HttpResponse;
  const t = new SqTable();
  tableSet(t, "statuscode", r.statuscode | 0);
  tableSet(t, "headers", fromHostJson(r.headers));
  const raw: SqTable[] = [];
  for (const [k, v] of Object.entries(r.headers)) {
    const h = new SqTable();
    tableSet(h, fromHostJson(k), fromHostJson(v));
    raw.push(h);
  }
  tableSet(t, "rawheaders", raw);
  tableSet(t, "body", r.body);
  return t;
}

/** Turns the host's response JSON (an "response" callback argument) into the response table. */
export function responseArgument(j: unknown): SqTable {
  return responseTable(JSON.stringify(j));
}

function stateOf(self: unknown): RequestState {
  const s = typeof self === "object" && self !== null ? requests.get(self) : undefined;
  if (s === undefined)
    sqError("expected an httprequest made by http.get/post/put/httpdelete/request");
  return s;
}

function takeForSending(self: unknown, call: string): RequestState {
  const s = stateOf(self);
  // An httprequest is one-shot (developer.electricimp.com /api/httprequest). chosen text.
  if (s.sent)
    sqError(`httprequest.${call}(): this request was already sent; make a new one for each send`);
  s.sent = true;
  return s;
}

function httpRequestClass(): SqClass {
  return (requestClass ??= apiClass(
    () => "httprequest",
    [
      native("sendsync", 1, null, (self) => {
        const s = takeForSending(self, "sendsync");
        return responseTable(viaHost(() => host.httpSendSync(JSON.stringify(s.request))));
      }),
      native("sendasync", -2, ".c.n", (self, args) => {
        const s = takeForSending(self, "sendasync");
        // sendasync(done[, stream][, timeout]): the stream callback (for streamed bodies) is accepted
        // and not called: the body arrives whole in the response.
        let timeout = DEFAULT_SENDASYNC_TIMEOUT;
        const last = args[args.length - 1];
        if (
          args.length > 1 &&
          (typeof last === "number" || (typeof last === "object" && last !== null && "v" in last))
        ) {
          timeout = toFloatValue(last);
        }
        s.doneId = callbacks.register(args[0], true, "response");
        s.handle = viaHost(() =>
          host.httpSend(JSON.stringify(s.request), s.doneId, timeout === NO_TIMEOUT ? 0 : timeout),
        );
        return null;
      }),
      native("cancel", 1, null, (self) => {
        const s = stateOf(self);
        if (s.handle !== 0) {
          callbacks.remove(s.doneId);
          viaHost(() => host.httpCancel(s.handle));
          s.handle = 0;
        }
        return null;
      }),
    ],
    ["setvalidation"],
  ));
}

function newRequest(
  method: string,
  url: unknown,
  headers: unknown,
  body: unknown,
  call: string,
): SqInstance {
  const u = bytesOf(url, `http.${call}(): the URL`);
  // The URL must begin http:// or https:// (developer.electricimp.com /api/http/get). chosen text.
  if (!/^https?:\/\//i.test(u))
    sqError(`http.${call}(): the URL must begin http:// or https:// (got '${u.slice(0, 60)}')`);
  const o = apiInstance(httpRequestClass());
  requests.set(o, {
    request: {
      method,
      url: u,
      headers: headersOf(headers, `http.${call}()`),
      body: body === undefined || body === null ? "" : bytesOf(body, `http.${call}(): the body`),
    },
    sent: false,
    handle: 0,
    doneId: 0,
  });
  return o;
}

// ---- incoming: the request table and the httpresponse

const responses = new WeakMap<
  object,
  { id: number; headers: Record<string, string>; sent: boolean }
>();
let responseClass: SqClass | undefined;

function httpResponseClass(): SqClass {
  return (responseClass ??= apiClass(
    () => "httpresponse",
    [
      native("header", 3, ".s.", (self, args) => {
        const r = responses.get(self as object)!;
        r.headers[(args[0] as string).toLowerCase()] = toStr(args[1]);
        return null;
      }),
      native("send", 3, ".i.", (self, args) => {
        const r = responses.get(self as object)!;
        // chosen text: answering twice is an error (the connection is closed after the first).
        if (r.sent) sqError("httpresponse.send(): this request has already been answered");
        const body =
          typeof args[1] === "string" ? args[1] : (blobToByteString(args[1]) ?? toStr(args[1]));
        r.sent = true;
        viaHost(() => host.respond(r.id, args[0] as number, JSON.stringify(r.headers), body));
        return null;
      }),
    ],
  ));
}

/** The (request, response) pair an "request" callback is called with. */
export function requestArguments(j: IncomingRequest, id: number): unknown[] {
  const request = new SqTable();
  tableSet(request, "method", fromHostJson(j.method));
  tableSet(request, "path", fromHostJson(j.path));
  tableSet(request, "query", fromHostJson(j.query));
  tableSet(request, "headers", fromHostJson(j.headers));
  tableSet(request, "body", j.body);
  const response = apiInstance(httpResponseClass());
  responses.set(response, { id, headers: {}, sent: false });
  return [request, response];
}

// ---- the helpers

const requestHandler = new HandlerSlot("request");

/** The host's hash function, as the device's crypto takes it (src/device/guest/crypto-object.ts). */
export const digestCall: DigestCall = (algorithm, data, key) =>
  viaHost(() => host.hash(algorithm, data, key));

export function makeHttp(): SqTable {
  const http = apiTable(
    "http",
    [
      native("onrequest", 2, ".c|o", (_self, args) => {
        const id = requestHandler.replace(args[0]);
        viaHost(() => host.onRequest(id));
        return null;
      }),
      native("get", -2, ".s.", (_self, args) => newRequest("GET", args[0], args[1], "", "get")),
      native("post", 4, ".s..", (_self, args) =>
        newRequest("POST", args[0], args[1], args[2], "post"),
      ),
      native("put", 4, ".s..", (_self, args) =>
        newRequest("PUT", args[0], args[1], args[2], "put"),
      ),
      native("httpdelete", -2, ".s.", (_self, args) =>
        newRequest("DELETE", args[0], args[1], "", "httpdelete"),
      ),
      native("request", -4, ".ss..", (_self, args) =>
        newRequest((args[0] as string).toUpperCase(), args[1], args[2], args[3] ?? "", "request"),
      ),
      native("agenturl", 1, null, () => identity().agentUrl),
      native("jsonencode", -2, "..t|o", (_self, args) => {
        const settings = args[1];
        const compact =
          settings instanceof SqTable &&
          truthy(tableKeys(settings).includes("compact") ? tableGet(settings, "compact") : false);
        try {
          return jsonEncode(args[0], compact);
        } catch (e) {
          if (e instanceof JsonEncodeError) sqError(`http.jsonencode(): ${e.message}`);
          throw e;
        }
      }),
      native("jsondecode", 2, ".s", (_self, args) =>
        jsonDecode(args[0] as string, JSON_DECODE_MAX_NESTING),
      ),
      native("urlencode", 2, ".t", (_self, args) => urlEncode(args[0] as SqTable)),
      native("urldecode", 2, ".s", (_self, args) => urlDecode(args[0] as string)),
      native("base64encode", 2, null, (_self, args) =>
        base64Encode(bytesOf(args[0], "http.base64encode(): the data")),
      ),
      native("base64decode", 2, null, (_self, args) =>
        newBlob(base64Decode(bytesOf(args[0], "http.base64decode(): the data"))),
      ),
    ],
    { notEmulated: NOT_EMULATED },
  );
  tableSet(
    http,
    "hash",
    apiTable("http.hash", Object.values(hashNatives("http.hash", digestCall))),
  );
  return http;
}
