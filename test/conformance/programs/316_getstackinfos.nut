// getstackinfos(level): 0 is getstackinfos itself, 1 its caller, ...; null past the last frame
function show(t) {
  if (t == null) return "null";
  // src is the script's name as given to sq: only its ending is compared
  local src = t.src.len() > 8 ? t.src.slice(-8) : t.src;
  return t.func + "|" + src + "|" + t.line + "|" + typeof t.locals;
}
print(show(getstackinfos(0)) + "\n");
print(show(getstackinfos(1)) + "\n");
function f() { return show(getstackinfos(1)) + " / " + show(getstackinfos(2)); }
print(f() + "\n");
local g = function() { return show(getstackinfos(1)); };
print(g() + "\n");
class K { function m() { return show(getstackinfos(1)); } }
print(K().m() + "\n");
print(show(getstackinfos(5)) + "\n");
local keys = "";
foreach (k, v in getstackinfos(1)) keys += k + ",";
print(keys + "\n");
try { getstackinfos("x"); } catch (e) { print(e + "\n"); }
// callee is a function of the root table, as every base function
print(typeof getroottable().callee + " " + ("callee" in getroottable()) + "\n");
