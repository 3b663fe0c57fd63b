// Button: a push button on pin W of an imp003 pulls the line low (the pin's pull-up keeps it
// high otherwise). Each press lights an LED on pin A for one second and counts the presses.

button <- hardware.pinW;
light <- hardware.pinA;
presses <- 0;
offTimer <- null;

light.configure(DIGITAL_OUT, 0);

function lightOff() {
    light.write(0);
    offTimer = null;
}

function changed() {
    // The callback gets no arguments: read the pin to learn which way it went.
    if (button.read() != 0) return;
    presses++;
    server.log("button pressed (" + presses + ")");
    light.write(1);
    if (offTimer != null) imp.cancelwakeup(offTimer);
    offTimer = imp.wakeup(1, lightOff);
}

button.configure(DIGITAL_IN_PULLUP, changed);
server.log("button ready");
