// Table iteration follows the reference's hash-node order: string, integer, float and bool
// keys, table literals of every size, inserts, deletes, clear, clone, classes.
function keysOf(t) {
  local s = "";
  foreach (k, v in t) s += k + ",";
  return s;
}

// a JSON encoder written in Squirrel emits keys in foreach order
function encode(v) {
  switch (typeof v) {
    case "table":
      local parts = [];
      foreach (k, x in v) parts.append("\"" + k + "\":" + encode(x));
      return "{" + parts.reduce(@(a, b) a + "," + b) + "}";
    case "array":
      local items = [];
      foreach (x in v) items.append(encode(x));
      return "[" + (items.len() ? items.reduce(@(a, b) a + "," + b) : "") + "]";
    case "string": return "\"" + v + "\"";
    default: return v.tostring();
  }
}
print(encode({ id = 17, name = "sensor", value = 21.5, ok = true, tags = ["a", "b"],
               nested = { x = 1, y = 2, z = 3, when = 1234567 } }) + "\n");

local t = {};
for (local i = 0; i < 40; i++) t["key" + i] <- i;
print(keysOf(t) + "\n");
for (local i = 0; i < 40; i += 3) delete t["key" + i];
print(keysOf(t) + "\n");

// literals are sized for their entries
print(keysOf({ a = 1, b = 2, c = 3, d = 4, e = 5 }) + "\n");
print(keysOf({ a = 1, b = 2, c = 3, d = 4, e = 5, name = "x", value = 7, id = 9, zeta = 1.5 }) + "\n");

local u = {};
foreach (x in [5, -3, 100, 7, 1.5, -2.5, true, false, 1e10, 0, 16, 32, 4, 8, -2147483648, 2147483647])
  u[x] <- 1;
print(keysOf(u) + "\n");

// strings longer than 32 bytes hash every other byte (or fewer)
local long = {};
foreach (n in [31, 32, 33, 64, 65, 100]) {
  for (local i = 0; i < 3; i++) {
    local key = "";
    while (key.len() < n) key += format("%d", (key.len() * 7919 + i * 104729) % 10);
    long[key] <- n;
  }
}
local s = "";
foreach (k, v in long) s += v + ":" + k.slice(-4) + ",";
print(s + "\n");

// clone keeps the node count and re-inserts in order; clear halves the node count once
local c = clone t;
c.extra <- 1;
delete c.key1;
print(keysOf(c) + "\n");
t.clear();
foreach (k in ["p", "q", "r", "s"]) t[k] <- k;
print(keysOf(t) + "\n");

// deleting during foreach walks the re-laid-out table by node index, as the reference
local d = {};
for (local i = 0; i < 30; i++) d["d" + i] <- i;
local n = 0;
foreach (k, v in d) if (n++ % 2 == 0) delete d[k];
print(keysOf(d) + " " + d.len() + "\n");

// keys(), values(), filter() share the order
local small = { alpha = 1, beta = 2, gamma = 3, delta = 4, epsilon = 5, zeta = 6 };
local ks = "";
foreach (k in small.keys()) ks += k + ",";
local vs = "";
foreach (v in small.values()) vs += v + ",";
print(ks + " " + vs + " " + keysOf(small.filter(@(k, v) v % 2 == 0)) + "\n");

// classes iterate their members (fields, methods, statics) in the same way; a subclass
// starts from a copy of its base's members
class Base { x = 1; y = 2; function foo() {} static s = 3; z = 4; constructor() {} }
class Derived extends Base { w = 5; function bar() {} }
print(keysOf(Base) + " " + keysOf(Derived) + "\n");

// many integer keys, then half of them deleted
local big = {};
for (local i = 0; i < 1000; i++) big[i * 37 % 1001] <- i;
for (local i = 0; i < 1000; i += 2) delete big[i * 37 % 1001];
local first = [];
foreach (k, v in big) { first.append(k); if (first.len() == 25) break; }
print(encode(first) + "\n");
