// A humidity monitor: reads a Si7021 humidity and temperature sensor on i2c89 of an imp001 every
// ten seconds, logs both, and lights a warning LED on pin 9 while the air is damper than 70 %.
// A sensor that does not answer is reported with the imp's I2C error code and read again at the
// next tick, so unplugging and replugging it needs no restart.

const SI7021 = 0x80;            // 0x40, shifted left for the imp's 8-bit I2C address
const MEASURE_HUMIDITY = "\xE5"; // measure relative humidity, hold master mode
const READ_TEMPERATURE = "\xE0"; // the temperature taken during that humidity measurement
const PERIOD_SECONDS = 10;
const DAMP_PERCENT = 70.0;

i2c <- hardware.i2c89;
i2c.configure(CLOCK_SPEED_400_KHZ);
warning <- hardware.pin9;
warning.configure(DIGITAL_OUT, 0);

// The sensor answers with a 16-bit code, most significant byte first.
function code(bytes) {
    return (bytes[0] << 8) | bytes[1];
}

function measure() {
    imp.wakeup(PERIOD_SECONDS, measure);
    local humidityCode = i2c.read(SI7021, MEASURE_HUMIDITY, 2);
    local temperatureCode = humidityCode == null ? null : i2c.read(SI7021, READ_TEMPERATURE, 2);
    if (temperatureCode == null) {
        server.error("Si7021 not answering (I2C error " + i2c.readerror() + ")");
        return;
    }
    // Conversions from the Si7021 datasheet.
    local humidity = 125.0 * code(humidityCode) / 65536 - 6;
    local celsius = 175.72 * code(temperatureCode) / 65536 - 46.85;
    server.log(format("temp=%.1f C humidity=%.1f %%", celsius, humidity));
    warning.write(humidity > DAMP_PERCENT ? 1 : 0);
}

server.log("humidity monitor starting");
measure();
