// SmartLamp DUT firmware (DUT Device Group "lamp-dut"). Not the application: a DUT taken off
// the line cannot work as a lamp. Tests the lamp's touch input (pin A, must read high through
// its pull-up; a short to ground fails it), then blesses.

function isDeviceUnderTest() {
    local params = imp.configparams;
    return ("factoryfirmware" in params) && params.factoryfirmware
        && ("factory_imp" in params) && params.factory_imp != imp.getmacaddress();
}

function testTouchInput() {
    hardware.pinA.configure(DIGITAL_IN_PULLUP);
    local level = hardware.pinA.read();
    hardware.pinA.configure(DIGITAL_IN);
    server.log("touch input reads " + level + (level == 1 ? ": pass" : ": FAIL (shorted?)"));
    return level == 1;
}

if (isDeviceUnderTest()) {
    server.log("DUT " + hardware.getdeviceid() + " from fixture " + imp.configparams.factory_imp_device_id);
    local passed = testTouchInput();
    server.bless(passed, function(blessed) {
        server.log(blessed ? "blessed" : "not blessed");
        // Leave the factory's network and token behind: the lamp reaches its owner Unactivated.
        if (blessed) imp.clearconfiguration();
    });
}
