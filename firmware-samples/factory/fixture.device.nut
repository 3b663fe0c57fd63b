// SmartLamp factory BlinkUp fixture firmware (Fixture Device Group "lamp-fixtures").
// Hardware: an imp003 fixture board, BlinkUp LED on pin B, operator button on pin C
// (active high, pulled down). Each press configures the DUT in front of the LED with the
// factory network and a factory enrolment token.

const FACTORY_SSID = "LampFactory-Line1";
const FACTORY_PASSWORD = "assembly-2025";

// The checks FactoryTools makes (isFactoryFixture): factory firmware, and this imp is the fixture.
function isFactoryFixture() {
    local params = imp.configparams;
    return ("factoryfirmware" in params) && params.factoryfirmware
        && ("factory_imp" in params) && params.factory_imp == imp.getmacaddress();
}

class BlinkUpFixture {
    _led = null;
    _button = null;
    _busy = false;
    _count = 0;

    constructor(led, button) {
        _led = led;
        _button = button;
        _button.configure(DIGITAL_IN_PULLDOWN, _onButton.bindenv(this));
    }

    function _onButton() {
        if (_button.read() != 1 || _busy) return;
        _busy = true;
        _count++;
        server.log("BlinkUp " + _count + " requested");
        // Returns at once; the token is fetched, then Squirrel is suspended while the LED flashes.
        server.factoryblinkup(FACTORY_SSID, FACTORY_PASSWORD, _led, BLINKUP_FAST);
        imp.wakeup(1, function() {
            _busy = false;
            server.log("BlinkUp " + _count + " done, ready for the next DUT");
        }.bindenv(this));
    }
}

if (isFactoryFixture()) {
    server.log("fixture " + hardware.getdeviceid() + " ready");
    fixture <- BlinkUpFixture(hardware.pinB, hardware.pinC);
} else {
    server.error("this firmware only runs on a factory fixture");
}
