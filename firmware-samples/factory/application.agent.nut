// SmartLamp application agent (Production Device Group "lamp-production"): runs once an end user
// has activated the lamp, and logs what the lamp reports.
device.on("status", function(data) {
    server.log("lamp status: " + http.jsonencode(data));
});
