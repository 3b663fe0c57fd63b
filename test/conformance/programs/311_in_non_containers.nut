// `in` on a value that holds no slots is false (libraries probe functions this way)
local live = { a = 1 };
local values = [1, 1.5, true, null, function() {}, print, (function() { yield 1; })(),
                "abc", [1, 2], { a = 1 }];
foreach (v in values) {
  local r = "";
  foreach (k in ["len", 0, 1, "a", "tostring"]) r += (k in v) + " ";
  print(typeof v + ": " + r + "\n");
}
local w = live.weakref();
print(typeof w + ": " + ("a" in w) + " " + ("len" in w) + "\n");
