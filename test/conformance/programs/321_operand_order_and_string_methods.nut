// The order in which operands are evaluated when one of them assigns a local that another
// reads (a call copies its object first; a slot read or write reads the local last), and the
// string methods compiled code calls directly (find, slice, toupper, tolower), with the cases
// left to the native call: conversions and errors.
local s = "abcy";
print(s.find(s = "y") + "\n");
local a = [1];
a.append(a = [5]);
print(a.len() + "\n");
local t = {function f(x) { return this.k; }, k = 1};
local u = {k = 2, function f(x) { return this.k; }};
print(t.f(t = u) + "\n");
local arr = [10, 20, 30];
print(arr[(arr = [7, 8, 9], 1)] + "\n");
local q = {x = 1};
local r = {x = 2};
q.x = (q = r, 5);
print(q.x + " " + r.x + "\n");
local w = [0, 0];
w[1] = (w = [3, 3, 3], 9);
print(w.len() + " " + w[1] + "\n");
local z = {};
z.n <- (z = {}, 4);
print(("n" in z) + "\n");
local z2 = {};
z2["m"] <- (z2 = {}, 4);
print(("m" in z2) + "\n");
class C { function _get(k) { ::print("get " + k + "\n"); return function(x) { return x; } } }
local c = C();
function side() { print("side\n"); return 1; }
print(c.find(side()) + "\n");
print("abc".find("c") + " " + "abc".slice(1) + " " + "aBc".toupper() + " " + "AbC".tolower() + "\n");
print("abcabc".find("c", 3) + " " + "abcdef".slice(1, -1) + " " + "abc".slice(-2) + "\n");
try { "abc".slice(2, 1) } catch (e) print(e + "\n");
try { "abc".slice(5) } catch (e) print(e + "\n");
try { "abc".find(1) } catch (e) print(e + "\n");
try { "abc".find("a", "x") } catch (e) print(e + "\n");
print("abc".find("a", 1.0) + " " + "abc".slice(1.5) + " " + "abc".find("a", 10) + " " + "abc".find("a", -1) + "\n");
print("a\xe9\xffz".toupper() + "|" + "A\xc9Z".tolower() + "\n");
local typed = "Hello, World";
typed += "!";
print(typed.len() + " " + typed.toupper() + " " + typed.tolower() + " " + typed.find("o") + " " + typed.find("o", 5) + "\n");
print(typed.slice(7) + "|" + typed.slice(0, 5) + "|" + typed.slice(-6, -1) + "|" + typed.find("zz") + "\n");
foreach (v in ["abc", [1, 2, 3], {len = @() 42}]) print(v.len() + " ");
print("\n");
local u = {function find(x) { return "table find " + x; }, function toupper() { return "table toupper"; }};
print(u.find("q") + " " + u.toupper() + "\n");
try { typed.find(null) } catch (e) print(e + "\n");
try { typed.slice(1, 100) } catch (e) print(e + "\n");
try { typed.slice(null) } catch (e) print(e + "\n");
print(typed.find("l", 3.0) + " " + typed.slice(2.9, 4) + "\n");
print("a\x00b".find("b") + " " + "\x00".len() + "\n");
print("a\x00b".find("b") + " " + "ab\x00b".find("b") + " " + "abc".find("") + " " + "x\x00yz".find("y", 2) + " " + "ab".find("b\x00c") + " " + "ab".find("\x00") + " " + "a\x00ab".find("ab") + " " + "aab".find("ab", 1) + "\n");
