// What the compiler emits for each fast path (src/squirrel/compiler-fast-paths.ts): Squirrel in,
// the JavaScript fragment expected out, and the slower form that must not appear. A change to
// code generation that loses a fast path fails here, before any benchmark runs.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/squirrel/index.ts";

interface Row {
  readonly path: string;
  readonly source: string;
  /** Fragments the output contains. */
  readonly emits: readonly string[];
  /** Fragments its code must not contain (the generic or guarded form the fast path avoids). */
  readonly not?: readonly string[];
}

const ROWS: readonly Row[] = [
  {
    path: "an inferred integer plus a constant: no guard, no call",
    source: "local a = 1; local b = a + 1;",
    emits: ["let b$2=((a$1+1)|0)"],
    not: ["(a$1|0)===a$1", "$add("],
  },
  {
    path: "an untyped value plus a constant: inline behind an integer check, $add as the fallback",
    source: "function f(x) { return x + 1; }",
    emits: ["(x$1|0)===x$1?(x$1+1)|0:$add(x$1,1)"],
  },
  {
    path: "a string plus an integer: JS concatenation, no $concat",
    source: 'local s = "n="; local n = 2; local t = s + n;',
    emits: ["let t$3=(s$1+n$2)"],
    not: ["$concat("],
  },
  {
    path: "a string plus an untyped value: $concat (a float prints with %g)",
    source: 'function f(x) { local p = "a" + x; return p; }',
    emits: ['$concat("a",x$1)'],
  },
  {
    path: "multiplication by a small integer constant: a native multiply",
    source: "function f(x) { return x * 3; }",
    emits: ["(x$1|0)===x$1?(x$1*3)|0:$mul(x$1,3)"],
    not: ["Math.imul"],
  },
  {
    path: "division and modulo of an integer by a constant: no call",
    source: "local a = 7; local b = a / 2; local c = a % 2;",
    emits: ["let b$2=((a$1/2)|0)", "let c$3=((a$1%2)|0)"],
    not: ["$div(", "$mod("],
  },
  {
    path: "a comparison of two inferred integers: a bare JS comparison",
    source: "local a = 1; local b = 2; local c = a < b;",
    emits: ["let c$3=(a$1<b$2)"],
    not: ["$lt("],
  },
  {
    path: "equality with null, a bool or a string literal: ===",
    source: "function f(x) { return x == null; }",
    emits: ["(x$1===null)"],
    not: ["$eq("],
  },
  {
    path: "len() on an array or a string: .length inline",
    source: "function f(arr) { return arr.len(); }",
    emits: ['(arr$1 instanceof Array||typeof arr$1==="string")?arr$1.length:'],
  },
  {
    path: "len() of a local known to hold a string: .length with no check",
    source: 'local s = "ab"; s += 1; local n = s.len();',
    emits: ["let n$2=(s$1.length)"],
    not: ["instanceof Array", "$callv0("],
  },
  {
    path: "find, slice, toupper and tolower on a string: the runtime's string function, the native call as the fallback",
    source: 'function f(s, p) { return s.find("x", p) + s.slice(1) + s.toupper(); }',
    emits: [
      'typeof s$1==="string"&&($1=$strFind(s$1,"x",p$2))!==undefined?$1:',
      '$callv2($2,s$1,"x",p$2)',
      'typeof s$1==="string"?$strToUpper(s$1):',
    ],
  },
  {
    path: "a string method on a local known to hold a string: no type check",
    source: 'local s = "a,b"; local t = s.tolower(); local i = t.find(",");',
    emits: ["let t$2=($strToLower(s$1))", '(($1=$strFind(t$2,","))!==undefined?$1:'],
    not: ['typeof s$1==="string"', 'typeof t$2==="string"'],
  },
  {
    path: "a string plus an untyped value: JS concatenation when that value is a string or an integer",
    source: 'function f(x) { local s = ""; s += x; return s; }',
    emits: ['(typeof x$1==="string"||(x$1|0)===x$1?s$2+x$1:$concat(s$2,x$1))'],
  },
  {
    path: "a method call whose argument may assign the object's local: the object copied first",
    source: 'local s = "ab"; s.find(s = "b");',
    emits: ['($0=s$1,$3=(s$1="b"),(($2=$strFind($0,$3))'],
  },
  {
    path: "append of an integer: push without the weak-reference check",
    source: "local arr = []; arr.append(1);",
    emits: ["arr$1 instanceof Array?(arr$1.push(1),arr$1):"],
    not: ["$SqWeakRef"],
  },
  {
    path: "append of an untyped value: push after the weak-reference check",
    source: "function f(arr, v) { arr.append(v); }",
    emits: ["arr$1 instanceof Array&&!(v$2 instanceof $SqWeakRef)?(arr$1.push(v$2),arr$1):"],
  },
  {
    path: "a field of this written directly, $setVar otherwise",
    source: "class C { x = 0; function set() { x = 5; } }",
    emits: [
      '(($this!==null&&($0=$this.fs)!==undefined&&$0.$x===1)?($this.$x=5):$setVar($this,"x",5,$root))',
    ],
  },
  {
    path: "a slot write: an instance field or an existing table slot directly, $set otherwise",
    source: "function f(o) { o.k = 1; }",
    emits: ['(o$1 instanceof $SqTable&&o$1.$k!==undefined))?(o$1.$k=1):$set(o$1,"k",1)'],
  },
  {
    path: "an integer local incremented: one native add",
    source: "local i = 0; i++;",
    emits: ["(i$1=(i$1+1)|0)-1|0"],
    not: ["$add("],
  },
  {
    path: "a string known as such, indexed by an integer known as such: charCodeAt, no check",
    source: 'local s = "ab"; s += 1; local n = 0; for (local i = 0; i < 3; i++) n += s[i];',
    emits: ["($0=s$1.charCodeAt(i$3))===$0)?$0:$get(s$1,i$3)", "n$2=((n$2+$0)|0)"],
    not: ["instanceof Array"],
  },
  {
    path: "an array indexed by an integer: a JS index behind its checks",
    source: "function f(a, i) { return a[i]; }",
    emits: [
      '(a$1 instanceof Array&&(i$2|0)===i$2&&($0=a$1[i$2])!==undefined)||(typeof a$1==="string"&&(i$2|0)===i$2&&($0=a$1.charCodeAt(i$2))===$0)?$0:$get(a$1,i$2)',
    ],
  },
  {
    path: "a call with the closure's arity: straight to the JS function",
    source: "function g(a) {} g(1);",
    emits: ["$0?.np===2?$0($this,1):$callv1($0,$this,1)"],
  },
  {
    path: "any other callee (a class, a native, a mismatched arity): the slow path, by argument count",
    source: "class C {} C(); C(1, 2, 3); C(1, 2, 3, 4);",
    emits: ["$callv0($0,$this)", "$callv3($0,$this,1,2,3)", "$callv($0,$this,1,2,3,4)"],
  },
  {
    path: "a float literal: hoisted once per program",
    source: "local x = 1.5;",
    emits: ["const F0=new $r.SqFloat(", "let x$1=F0"],
  },
];

describe("what the compiler emits", () => {
  it.each(ROWS)("$path", (row) => {
    const { js } = compile(row.source, "t.nut");
    for (const fragment of row.emits) expect(js).toContain(fragment);
    // The header binds every runtime name; what the program does starts at its main function.
    const main = js.slice(js.indexOf("return function main$$"));
    for (const fragment of row.not ?? []) expect(main).not.toContain(fragment);
  });
});
