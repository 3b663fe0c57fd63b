// Promise, written for virtual-imp with the interface of Electric Imp's Promise library
// (developer.electricimp.com/libraries/utilities/promise): Promise(function(resolve, reject)),
// then(onFulfilled[, onRejected]), fail(onRejected), finally(always), and Promise.resolve,
// Promise.reject, Promise.all, Promise.race, Promise.loop, Promise.serial. Handlers run after
// the current event, from imp.wakeup(0), as the library's do.

class Promise {
  static VERSION = "4.0.0";

  // 0 pending, 1 fulfilled, 2 rejected
  _state = 0;
  _value = null;
  _handlers = null;

  constructor(action) {
    _handlers = [];
    try {
      action(_fulfil.bindenv(this), _rejectWith.bindenv(this));
    } catch (e) {
      _rejectWith(e);
    }
  }

  function then(onFulfilled = null, onRejected = null) {
    local parent = this;
    return Promise(function(resolve, reject) {
      parent._handlers.append(function() {
        local handler = parent._state == 1 ? onFulfilled : onRejected;
        if (handler == null) {
          if (parent._state == 1) resolve(parent._value);
          else reject(parent._value);
          return;
        }
        try {
          resolve(handler(parent._value));
        } catch (e) {
          reject(e);
        }
      });
      parent._flush();
    });
  }

  function fail(onRejected) {
    return then(null, onRejected);
  }

  function finally(always) {
    return then(function(value) {
      always(value);
      return value;
    }, function(reason) {
      always(reason);
      throw reason;
    });
  }

  function isPending() {
    return _state == 0;
  }

  function _fulfil(value = null) {
    if (_state != 0) return;
    if (Promise._isThenable(value)) {
      value.then(_fulfil.bindenv(this), _rejectWith.bindenv(this));
      return;
    }
    _state = 1;
    _value = value;
    _flush();
  }

  function _rejectWith(reason = null) {
    if (_state != 0) return;
    _state = 2;
    _value = reason;
    _flush();
  }

  function _flush() {
    if (_state == 0 || _handlers.len() == 0) return;
    local handlers = _handlers;
    _handlers = [];
    imp.wakeup(0, function() {
      foreach (h in handlers) h();
    });
  }

  static function _isThenable(value) {
    return (typeof value == "instance" || typeof value == "table") && ("then" in value);
  }

  static function resolve(value = null) {
    return Promise(function(ok, fail) { ok(value); });
  }

  static function reject(reason = null) {
    return Promise(function(ok, fail) { fail(reason); });
  }

  static function all(promises) {
    return Promise(function(ok, fail) {
      local results = array(promises.len(), null);
      local left = promises.len();
      if (left == 0) return ok(results);
      foreach (i, p in promises) {
        local index = i;
        local item = Promise._isThenable(p) ? p : Promise.resolve(p);
        item.then(function(value) {
          results[index] = value;
          if (--left == 0) ok(results);
        }, fail);
      }
    });
  }

  static function race(promises) {
    return Promise(function(ok, fail) {
      foreach (p in promises) (Promise._isThenable(p) ? p : Promise.resolve(p)).then(ok, fail);
    });
  }

  static function loop(continueFunction, nextFunction) {
    return Promise(function(ok, fail) {
      local last = null;
      local step = null;
      step = function(value) {
        last = value;
        if (!continueFunction()) return ok(last);
        try {
          local next = nextFunction();
          (Promise._isThenable(next) ? next : Promise.resolve(next)).then(step, fail);
        } catch (e) {
          fail(e);
        }
      };
      step(null);
    });
  }

  static function serial(series) {
    local i = 0;
    return Promise.loop(function() { return i < series.len(); }, function() {
      local item = series[i++];
      return typeof item == "function" ? item() : item;
    });
  }
}
