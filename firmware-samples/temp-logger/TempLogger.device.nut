// Device side of a small temperature logger: keeps the last readings in a RingBuffer (a
// library, #required), averages them, and sends each batch to the agent.
#require "RingBuffer.lib.nut:1.0.0"

class TempLogger {
  _readings = null;
  _read = null;

  // `read` is a function giving one reading in °C (a sensor driver, or a stand-in in tests).
  constructor(size, read) {
    _readings = RingBuffer(size);
    _read = read;
  }

  function sample() {
    local celsius = _read();
    _readings.push(celsius);
    return celsius;
  }

  function average() {
    local values = _readings.values();
    if (values.len() == 0) return null;
    local sum = 0.0;
    foreach (v in values) sum += v;
    return sum / values.len();
  }

  // Takes `count` samples `interval` seconds apart; the Promise resolves with the average.
  function sampleEvery(interval, count) {
    local logger = this;
    return Promise(function(resolve, reject) {
      local left = count;
      local tick;
      tick = function() {
        try {
          logger.sample();
        } catch (e) {
          return reject("sensor failed: " + e);
        }
        if (--left == 0) return resolve(logger.average());
        imp.wakeup(interval, tick);
      };
      imp.wakeup(interval, tick);
    });
  }

  function sendBatch() {
    agent.send("readings", _readings.values());
  }
}
