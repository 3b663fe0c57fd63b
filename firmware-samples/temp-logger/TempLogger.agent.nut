// Agent side of the temperature logger: keeps the batches the device sends.
class ReadingStore {
  batches = null;

  constructor() {
    batches = [];
    device.on("readings", function(values) {
      batches.append(values);
    }.bindenv(this));
  }

  function latest() {
    return batches.len() == 0 ? null : batches.top();
  }
}

store <- ReadingStore();
