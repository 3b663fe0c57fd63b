// tofloat()/tointeger() on odd texts: a text without '.', 'e' or 'E' is read as an integer
foreach (s in ["-0", "0", "12", "-12", "1.5", "-1.5", "1e3", "1E3", "1e", "1e+", ".5", "5.",
               "-.5", "+5", "+5.5", " 5", "5 ", "0x10", "0x", "010", "1.5.5", "abc", "", "-",
               "+", ".", "1e-3", "1.5e2x", "12abc", "2147483648", "-2147483649", "99999999999",
               "1e40", "-1e40", "16777217", "\t7", "7\n", "-0.0", "-0e0", "00012"]) {
  local a, b;
  try { a = s.tofloat(); } catch (e) { a = "error: " + e; }
  try { b = s.tointeger(); } catch (e) { b = "error: " + e; }
  print("[" + s + "] " + a + " " + (typeof a) + " | " + b + "\n");
}
