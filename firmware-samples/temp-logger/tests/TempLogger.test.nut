// Device tests: synchronous ones for the arithmetic, an asynchronous one for sampling.
class TempLoggerTestCase extends ImpTestCase {
  _values = null;
  _logger = null;

  // setUp runs once, before the first test of the case (impUnit's rule), not before each.
  function setUp() {
    _values = [20.0, 21.0, 22.0, 23.0];
    local values = _values;
    local i = 0;
    _logger = TempLogger(3, function() { return values[i++ % values.len()]; });
  }

  function testAverageOfNothingIsNull() {
    assertEqual(null, TempLogger(3, @() 0).average());
  }

  function testKeepsTheNewestReadings() {
    foreach (v in _values) _logger.sample();
    assertDeepEqual([21.0, 22.0, 23.0], _logger._readings.values());
    assertClose(22.0, _logger.average(), 0.001);
  }

  function testRingBufferRejectsSizeZero() {
    local error = assertThrowsError(function() { RingBuffer(0); }, this);
    assertEqual("RingBuffer size must be at least 1", error);
  }

  // Asynchronous: three samples a second apart, on the virtual clock.
  function testSampleEvery() {
    local values = [20.0, 21.0, 22.0];
    local logger = TempLogger(3, function() { return values.remove(0); });
    local started = hardware.millis();
    return logger.sampleEvery(1, 3).then(function(average) {
      assertClose(21.0, average, 0.001);
      assertBetween(hardware.millis() - started, 3000, 3100);
      return average;
    }.bindenv(this));
  }

  function testSensorFailureRejects() {
    local logger = TempLogger(3, function() { throw "no sensor"; });
    return Promise(function(resolve, reject) {
      logger.sampleEvery(0.1, 2)
        .then(function(v) { reject("should have failed"); })
        .fail(function(e) {
          if (e == "sensor failed: no sensor") resolve(e);
          else reject(e);
        });
    });
  }
}
