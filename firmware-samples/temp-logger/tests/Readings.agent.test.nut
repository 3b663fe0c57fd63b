// Agent test: the partner file tests/Readings.device.nut runs on the device and sends a batch.
class ReadingsTestCase extends ImpTestCase {
  function testStoresWhatTheDeviceSends() {
    local test = this;
    return Promise(function(resolve, reject) {
      local check;
      check = function() {
        local latest = store.latest();
        if (latest == null) return imp.wakeup(0.5, check);
        try {
          test.assertDeepEqual([20.5, 21.5], latest);
          resolve("got " + latest.len() + " readings");
        } catch (e) {
          reject(e);
        }
      };
      check();
    });
  }
}
