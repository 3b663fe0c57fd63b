// Members of strings, numbers, bools and arrays, found through their default delegates: as
// values, through `this`, and with their argument checks (the fast path must agree with get()).
local f = "abc".find;
print(f.call("xyz", "z") + "\n");
print(typeof (5).tofloat + "\n");
function g() { return len(); }
print(g.call("hello") + "\n");
function h() { return tostring(); }
print(h.call(3.5) + "\n");
print(([1,2,3]).top() + "\n");
local t = { len = 7 };
print(t.len + " " + ("find" in t) + " " + ("len" in t) + "\n");
try { print(("abc").nosuch + "\n"); } catch (e) { print(e + "\n"); }
try { print(("abc").find(1) + "\n"); } catch (e) { print(e + "\n"); }
try { print("abc".slice("x") + "\n"); } catch (e) { print(e + "\n"); }
try { print((1.5).tointeger("x") + "\n"); } catch (e) { print(e + "\n"); }
print(true.tostring() + "\n");
