// Blink: toggles an LED on pin 9 of an imp001 every half second and logs every tenth blink.
// Runs forever from the event loop: each imp.wakeup callback schedules the next one.

const BLINK_SECONDS = 0.5;

led <- hardware.pin9;
led.configure(DIGITAL_OUT, 0);

state <- 0;
count <- 0;

function blink() {
    state = 1 - state;
    led.write(state);
    if (state == 1 && ++count % 10 == 0) server.log("blinked " + count + " times");
    imp.wakeup(BLINK_SECONDS, blink);
}

server.log("blink starting, wake reason " + hardware.wakereason());
blink();
