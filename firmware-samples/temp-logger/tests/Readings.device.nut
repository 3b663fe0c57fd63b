// The device half of Readings.agent.test.nut: two readings, sent once the device is up.
local values = [20.5, 21.5];
local logger = TempLogger(2, function() { return values.remove(0); });
logger.sample();
logger.sample();
imp.wakeup(1, function() { logger.sendBatch(); });
