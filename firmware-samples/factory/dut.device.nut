// SmartLamp DUT firmware (DUT Device Group "lamp-dut"). Not the application: a DUT taken off
// the line cannot work as a lamp. Tests the lamp's own hardware (dut.board.json), then blesses:
//   - the touch input (pin A) reads high through its pull-up: a short to ground fails it;
//   - the 5 V supply rail, through a 1:2 divider on pin B, is within 5 % of 5 V;
//   - the test loop-back from pin D to pin E carries both levels: an open wire fails it;
//   - the Si7021 climate sensor on i2cFG answers with a plausible reading for the factory floor.

const SI7021 = 0x80;            // 0x40, shifted left for the imp's 8-bit I2C address
const RAIL_DIVIDER = 2.0;
const RAIL_MIN = 4.75;
const RAIL_MAX = 5.25;

function isDeviceUnderTest() {
    local params = imp.configparams;
    return ("factoryfirmware" in params) && params.factoryfirmware
        && ("factory_imp" in params) && params.factory_imp != imp.getmacaddress();
}

function check(name, ok, detail) {
    server.log(name + ": " + detail + (ok ? " pass" : " FAIL"));
    return ok;
}

function testTouchInput() {
    hardware.pinA.configure(DIGITAL_IN_PULLUP);
    local level = hardware.pinA.read();
    hardware.pinA.configure(DIGITAL_IN);
    return check("touch input", level == 1, "reads " + level + (level == 1 ? "" : " (shorted?)"));
}

function testSupplyRail() {
    hardware.pinB.configure(ANALOG_IN);
    local volts = hardware.pinB.read() / 65535.0 * hardware.voltage() * RAIL_DIVIDER;
    return check("5 V rail", volts >= RAIL_MIN && volts <= RAIL_MAX, format("%.2f V", volts));
}

function testLoopback() {
    local out = hardware.pinD;
    local back = hardware.pinE;
    // Pulled the other way each time, so an open wire cannot pass by floating the right way.
    out.configure(DIGITAL_OUT, 1);
    back.configure(DIGITAL_IN_PULLDOWN);
    local high = back.read();
    out.write(0);
    back.configure(DIGITAL_IN_PULLUP);
    local low = back.read();
    out.configure(DIGITAL_IN);
    back.configure(DIGITAL_IN);
    return check("loop-back D-E", high == 1 && low == 0, "high " + high + ", low " + low);
}

function testClimateSensor() {
    local i2c = hardware.i2cFG;
    i2c.configure(CLOCK_SPEED_100_KHZ);
    local rh = i2c.read(SI7021, "\xE5", 2);
    local t = rh == null ? null : i2c.read(SI7021, "\xE0", 2);
    if (t == null) return check("Si7021", false, "no answer (I2C error " + i2c.readerror() + ")");
    local humidity = 125.0 * ((rh[0] << 8) | rh[1]) / 65536 - 6;
    local celsius = 175.72 * ((t[0] << 8) | t[1]) / 65536 - 46.85;
    local ok = celsius >= 10 && celsius <= 40 && humidity >= 5 && humidity <= 90;
    return check("Si7021", ok, format("%.1f C %.1f %%", celsius, humidity));
}

if (isDeviceUnderTest()) {
    server.log("DUT " + hardware.getdeviceid() + " from fixture " + imp.configparams.factory_imp_device_id);
    // Every test runs, so the log says everything that is wrong with the board.
    local results = [testTouchInput(), testSupplyRail(), testLoopback(), testClimateSensor()];
    local passed = results.find(false) == null;
    // The agent passes the result on to the fixture's agent, which prints the label. Sent before
    // blessing: once blessed, the device is a production device and its factory agent retires.
    agent.send("testresult", { device_id = hardware.getdeviceid(), mac = imp.getmacaddress(), passed = passed });
    server.bless(passed, function(blessed) {
        server.log(blessed ? "blessed" : "not blessed");
        // Leave the factory's network and token behind: the lamp reaches its owner Unactivated.
        if (blessed) imp.clearconfiguration();
    });
}
