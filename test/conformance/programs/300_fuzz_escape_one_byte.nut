// escape() of a one-byte string: the reference's snprintf leaves "\x", one hex digit and a NUL
foreach (s in ["\a", "\n", "\x1f", "\x7f", "\x00", "A", "\"", "\a\a", "ab\n"]) {
  local e = escape(s);
  local bytes = "";
  foreach (c in e) bytes += c + " ";
  print(e.len() + ": " + bytes + "\n");
}
