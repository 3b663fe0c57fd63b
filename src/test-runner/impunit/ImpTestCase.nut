// The base class of test cases, with impUnit's assertions. Each assertion counts itself, then
// throws its message when it fails; a message given by the caller replaces the default text and
// is formatted with the same values (values become strings with + "").
local ImpTestCase = class {
  static VERSION = "1.2.3";

  runner = null;
  session = null;
  assertions = 0;

  function info(message) {
    runner.log("INFO", { message = message });
  }

  function runCommand(command = "") {
    runner.log("EXTERNAL_COMMAND", { command = command });
  }

  function assertTrue(condition, message = "Failed to assert that condition is true") {
    assertions++;
    if (!condition) throw message;
  }

  function assertEqual(expected, actual, message = "Expected value: %s, got: %s") {
    assertions++;
    if (expected != actual) throw format(message, expected + "", actual + "");
  }

  function assertGreater(actual, cmp, message = "Failed to assert that %s > %s") {
    assertions++;
    if (actual <= cmp) throw format(message, actual + "", cmp + "");
  }

  function assertLess(actual, cmp, message = "Failed to assert that %s < %s") {
    assertions++;
    if (actual >= cmp) throw format(message, actual + "", cmp + "");
  }

  function assertClose(expected, actual, maxDiff, message = "Expected value: %s±%s, got: %s") {
    assertions++;
    if (math.fabs(expected - actual) > maxDiff) throw format(message, expected + "", maxDiff + "", actual + "");
  }

  function assertBetween(actual, from, to, message = "Expected value the range of %s..%s, got %s") {
    assertions++;
    if (from > to) {
      local t = from;
      from = to;
      to = t;
    }
    if (actual < from || actual > to) throw format(message, from + "", to + "", actual + "");
  }

  // The default `args` array is created once, with the function, as Squirrel does with every
  // default value: ctx is inserted into it on each call, as impUnit does.
  function assertThrowsError(fn, ctx, args = [], message = "Function was expected to throw an error") {
    assertions++;
    args.insert(0, ctx);
    try {
      fn.pacall(args);
    } catch (e) {
      return e;
    }
    throw message;
  }

  function assertDeepEqual(expected, actual, message = "Comparison failed on '%s': expected %s, got %s") {
    assertions++;
    _deepEqual(expected, actual, message, true, "", 0);
    _deepEqual(actual, expected, message, false, "", 0);
  }

  function _deepEqual(lhs, rhs, message, forward, path, depth) {
    if (depth > 32) throw "Possible cyclic reference at " + path;
    if (typeof lhs != typeof rhs) {
      throw "Values are not the same type, typeof lhs = " + typeof lhs + ", typeof rhs = " + typeof rhs;
    }
    switch (typeof lhs) {
      case "table":
      case "class":
      case "array":
        foreach (k, v in lhs) {
          local at = path == "" ? k + "" : path + "." + k;
          if (!(k in rhs)) {
            if (forward) throw format(message, at, v + "", "none");
            throw format(message, at, "none", v + "");
          }
          _deepEqual(v, rhs[k], message, forward, at, depth + 1);
        }
        break;
      case "blob":
        if (lhs.len() != rhs.len()) {
          throw "Blob lengths unequal, lhs.len() == " + lhs.len() + ", rhs.len() == " + rhs.len();
        }
        for (local i = 0; i < lhs.len(); i++) {
          if (lhs[i] != rhs[i]) throw "Blobs are the same length (" + lhs.len() + " bytes), but the contents are not identical.";
        }
        break;
      case "null":
        break;
      default:
        if (lhs != rhs) throw format(message, path, lhs + "", rhs + "");
    }
  }
};
