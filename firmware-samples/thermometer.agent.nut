// A networked thermometer, agent half: keeps the device's latest reading (in server.save, so a
// restarted agent still has it) and serves it at its agent URL:
//   GET /temperature      → 200 {"celsius": 21.5, "at": 1735689600}, or 503 before any reading
//   PUT /interval  "30"   → 204, and the device measures every 30 s from then on
//   anything else         → 404

local latest = server.load();

device.on("reading", function(reading) {
    latest = reading;
    server.save(reading);
    server.log(format("%.2f C", reading.celsius));
});

http.onrequest(function(request, response) {
    if (request.method == "GET" && request.path == "/temperature") {
        if (!("celsius" in latest)) {
            response.send(503, "no reading yet");
            return;
        }
        response.header("Content-Type", "application/json");
        response.send(200, http.jsonencode({ celsius = latest.celsius, at = latest.at }, { compact = true }));
    } else if (request.method == "PUT" && request.path == "/interval") {
        local seconds = null;
        try { seconds = request.body.tointeger(); } catch (e) {}
        if (seconds == null || seconds < 1) {
            response.send(400, "the interval is a whole number of seconds, at least 1");
            return;
        }
        device.send("interval", seconds);
        response.send(204, "");
    } else {
        response.send(404, "not found");
    }
});
