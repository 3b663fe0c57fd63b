// SmartLamp application firmware (Production Device Group "lamp-production").
// Drives the lamp on pin E, dims it by PWM, and restarts politely when new code arrives.

const VERSION = "1.0.0";

lamp <- hardware.pinE;
lamp.configure(PWM_OUT, 0.002, 0.0);
level <- 0.0;

function fadeIn() {
    if (level < 1.0) {
        level += 0.25;
        lamp.write(level);
        imp.wakeup(0.5, fadeIn);
    } else {
        server.log("lamp on");
    }
}

server.onshutdown(function(reason) {
    // Finish the fade before taking the new code.
    lamp.write(0.0);
    server.restart();
});

server.log("SmartLamp " + VERSION + " started, wake reason " + hardware.wakereason());
agent.send("status", { version = VERSION, wakereason = hardware.wakereason() });
fadeIn();
