// sort() with comparators: a plain `<=>` of the two parameters on integers (which may be sorted
// by the engine), and every other shape, which must see the reference's heap sort calls.
local a = [5, 3, 9, 3, 1, 9, 0, -4, 7, 3];
print(a.sort(@(x, y) y <=> x).reduce(@(s, v) s + v + " ", "") + "\n");
print(a.sort(@(x, y) x <=> y).reduce(@(s, v) s + v + " ", "") + "\n");
local b = [4, 1, 3, 2];
b.sort(function(x, y) { print(x + "?" + y + " "); return x <=> y; });
print("\n" + b.reduce(@(s, v) s + v + " ", "") + "\n");
local c = [3, 1.5, 2, 1.5, 0];
print(c.sort(@(x, y) y <=> x).reduce(@(s, v) s + v + " ", "") + "\n");
local d = ["pear", "apple", "fig", "apple"];
print(d.sort(@(x, y) y <=> x).reduce(@(s, v) s + v + " ", "") + "\n");
local e = [{ k = 2, n = "a" }, { k = 1, n = "b" }, { k = 2, n = "c" }, { k = 1, n = "d" }];
print(e.sort(@(x, y) x.k <=> y.k).reduce(@(s, v) s + v.n + " ", "") + "\n");
local f = [3, 1, 2];
print(f.sort(@(x, x2) x2 <=> x).reduce(@(s, v) s + v + " ", "") + "\n");
try { [1, "a", 2].sort(@(x, y) x <=> y); } catch (err) { print(err + "\n"); }
