// Finds the test cases (root-table classes derived from ImpTestCase) and runs them: per case,
// setUp, each test method in name order, tearDown. A test that returns a Promise (anything
// with a `then`) is asynchronous: it passes when that resolves, fails when it rejects or when
// `timeout` seconds pass first. Every step is reported as one server.log line.
local ImpUnitRunner = class {
  timeout = 2;
  readableOutput = true;
  stopOnFailure = false;
  session = null;
  testClass = "";
  testCase = "";

  tests = 0;
  assertions = 0;
  failures = 0;

  _steps = null;
  _next = 0;
  _finished = false;

  function run() {
    log("SESSION_START", "");
    _steps = _findSteps();
    _continue();
  }

  function log(type, message) {
    if (readableOutput) {
      server.log("[impUnit:" + type + "] " + (typeof message == "string" ? message : JSONEncoder.encode(message)));
    } else {
      server.log(JSONEncoder.encode({ __IMPUNIT__ = 1, type = type, session = session, message = message }));
    }
  }

  function _findSteps() {
    local steps = [];
    foreach (name, value in getroottable()) {
      if (typeof value != "class" || !_isTestCase(value)) continue;
      if (testClass != "" && testClass != null && name != testClass) continue;
      local methods = [];
      foreach (member, m in value) {
        if (typeof m == "function" && member.len() >= 4 && member.slice(0, 4) == "test") {
          if (testCase == "" || testCase == null || member == testCase) methods.append(member);
        }
      }
      methods.sort();
      local instance = value();
      instance.session = session;
      instance.runner = this;
      if ("setUp" in instance) steps.append({ instance = instance, caseName = name, method = "setUp", counted = false });
      foreach (m in methods) steps.append({ instance = instance, caseName = name, method = m, counted = true });
      if ("tearDown" in instance) steps.append({ instance = instance, caseName = name, method = "tearDown", counted = false });
    }
    return steps;
  }

  function _isTestCase(cls) {
    for (local c = cls.getbase(); c != null; c = c.getbase()) {
      if (c == ImpTestCase) return true;
    }
    return false;
  }

  // Runs steps until one goes asynchronous (it calls _continue when it ends) or none are left.
  function _continue() {
    while (!_finished && _next < _steps.len()) {
      if (_runStep(_steps[_next++])) return;
    }
    _finish();
  }

  function _finish() {
    if (_finished) return;
    _finished = true;
    log("SESSION_RESULT", { tests = tests, assertions = assertions, failures = failures });
  }

  function _now() {
    return "hardware" in getroottable() ? hardware.millis() / 1000.0 : time();
  }

  // Runs one step; true when it went asynchronous.
  function _runStep(step) {
    collectgarbage();
    if (step.counted) tests++;
    log("TEST_START", step.caseName + "::" + step.method + "()");
    local before = step.instance.assertions;
    local start = _now();
    local result = null;
    try {
      result = step.instance[step.method]();
    } catch (e) {
      _failed(step, e, before);
      return false;
    }
    if ((typeof result == "instance" || typeof result == "table") && ("then" in result)) {
      local state = { done = false, sync = true, timer = null };
      local runner = this;
      local seconds = timeout;
      local finish = function(ok, value) {
        if (state.done) return;
        state.done = true;
        if (state.timer != null) imp.cancelwakeup(state.timer);
        if (ok) runner._passed(step, value, before);
        else runner._failed(step, value, before);
        if (!state.sync) runner._continue();
      };
      state.timer = imp.wakeup(seconds, function() {
        state.timer = null;
        finish(false, "Test timed out after " + seconds + "s");
      });
      try {
        result.then(function(value = null) { finish(true, value); }, function(reason = null) { finish(false, reason); });
      } catch (e) {
        finish(false, e);
      }
      state.sync = false;
      return !state.done;
    }
    local elapsed = _now() - start;
    if (elapsed > timeout) _failed(step, "Test took " + elapsed + "s, longer than timeout of " + timeout + "s", before);
    else _passed(step, result, before);
    return false;
  }

  function _passed(step, value, before) {
    assertions += step.instance.assertions - before;
    log("TEST_OK", value);
  }

  function _failed(step, reason, before) {
    assertions += step.instance.assertions - before;
    failures++;
    log("TEST_FAIL", reason);
    if (stopOnFailure) _finish();
  }
};
