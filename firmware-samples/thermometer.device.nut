// A networked thermometer, device half: reads a TMP102 temperature sensor on i2c89 of an imp001
// and sends each reading to its agent (thermometer.agent.nut), which serves it over HTTP. The
// agent can change how often the device measures ("interval" message, in seconds).

const TMP102 = 0x90;          // 0x48, shifted left for the imp's 8-bit I2C address
const TEMPERATURE = "\x00";   // the temperature register
local interval = 60;          // seconds between readings, until the agent says otherwise
local timer = null;

i2c <- hardware.i2c89;
i2c.configure(CLOCK_SPEED_400_KHZ);

// 12 bits, two's complement, 0.0625 C per count, left-justified in 16 (TMP102 datasheet).
function readCelsius() {
    local bytes = i2c.read(TMP102, TEMPERATURE, 2);
    if (bytes == null) return null;
    local counts = ((bytes[0] << 8) | bytes[1]) >> 4;
    if (counts & 0x800) counts -= 0x1000;
    return counts * 0.0625;
}

function measure() {
    timer = imp.wakeup(interval, measure);
    local celsius = readCelsius();
    if (celsius == null) {
        server.error("TMP102 not answering (I2C error " + i2c.readerror() + ")");
        return;
    }
    agent.send("reading", { celsius = celsius, at = time() });
}

agent.on("interval", function(seconds) {
    interval = seconds;
    server.log("measuring every " + seconds + " s");
    imp.cancelwakeup(timer);
    timer = imp.wakeup(interval, measure);
});

measure();
