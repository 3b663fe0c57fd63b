// A battery sensor logger: wakes every five minutes, reads a TMP102 temperature sensor on
// i2c89, keeps the last readings in nv (which survives deep sleep), and reports to the cloud
// only every third wake to save power. Between wakes the imp is in deep sleep.

const SENSOR = 0x90;          // TMP102 at 0x48, shifted left for the imp's 8-bit address
const SLEEP_SECONDS = 300;
const REPORT_EVERY = 3;

if (!("nv" in getroottable())) nv <- { wakes = 0, readings = [] };

function readCelsius() {
    local i2c = hardware.i2c89;
    i2c.configure(CLOCK_SPEED_400_KHZ);
    local raw = i2c.read(SENSOR, "\x00", 2);
    if (raw == null) return null;
    local counts = ((raw[0] << 8) | raw[1]) >> 4;
    if (counts & 0x800) counts -= 0x1000;
    return counts * 0.0625;
}

nv.wakes++;
local celsius = readCelsius();
if (celsius != null) nv.readings.push(celsius);

if (hardware.wakereason() == WAKEREASON_POWER_ON || nv.wakes % REPORT_EVERY == 0) {
    local text = "";
    foreach (i, c in nv.readings) text += (i > 0 ? ", " : "") + format("%.2f", c);
    server.log("wake " + nv.wakes + ": " + text);
    nv.readings = [];
}

// Sleep once everything queued has gone out.
imp.onidle(function() { server.sleepfor(SLEEP_SECONDS); });
