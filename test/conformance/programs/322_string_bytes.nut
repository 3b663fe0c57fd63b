// Strings indexed by integers: the byte as an integer, from the end for a negative index, and
// the errors out of range; compiled code reads the byte directly where it can.
local s = "hello";
local n = 0;
for (local i = 0; i < s.len(); i++) n += s[i];
print(n + " " + s[-1] + " " + s[0] + "\n");
function f(x, i) { return x[i]; }
print(f("abc", 1) + " " + f([7, 8], 1) + " " + f({[1] = 5}, 1) + " " + f("abc", -3) + "\n");
try { f("abc", 3) } catch (e) print(e + "\n");
try { f("abc", -4) } catch (e) print(e + "\n");
try { f("abc", 1.0) } catch (e) print(e + "\n");
try { print(f("abc", 1.5) + "\n") } catch (e) print(e + "\n");
try { f("abc", "len") } catch (e) print(e + "\n");
print(typeof f("abc", "len") + "\n");
