// Error texts of clone, instanceof, delete, resume and typeof of weak references
function attempt(what, f) {
  try { print(what + ": " + f() + "\n"); } catch (e) { print(what + ": error: " + e + "\n"); }
}
class C {}
attempt("clone 1", @() clone 1);
attempt("clone 1.5", @() clone 1.5);
attempt("clone true", @() clone true);
attempt("clone string", @() clone "s");
attempt("clone null", @() clone null);
attempt("clone function", @() clone print);
attempt("clone closure", @() clone (function() {}));
attempt("clone class", @() clone C);
attempt("clone generator", @() clone ((function() { yield 1; })()));
attempt("clone array", @() (clone [1, 2]).len());
attempt("1 instanceof 2.0", @() 1 instanceof 2.0);
attempt("string instanceof table", @() "s" instanceof {});
attempt("instance instanceof bool", @() C() instanceof true);
attempt("null instanceof C", @() null instanceof C);
attempt("delete array slot", function() { local a = [1, 2]; delete a[0]; });
attempt("delete string slot", function() { local s = "ab"; delete s[0]; });
attempt("delete instance slot", function() { local c = C(); delete c.x; });
attempt("resume 1", @() resume 1);
attempt("resume table", @() resume {});
attempt("typeof (1).weakref()", @() typeof (1).weakref());
attempt("typeof 1.5.weakref()", @() typeof (1.5).weakref());
attempt("typeof true.weakref()", @() typeof true.weakref());
attempt("typeof string weakref", @() typeof "s".weakref());
function va(a, b, ...) { return vargv.len(); }
attempt("va(1)", @() va(1));
attempt("va()", @() va());
attempt("va(1, 2, 3)", @() va(1, 2, 3));
function fixed(a, b) {}
attempt("fixed(1)", @() fixed(1));
