// SmartLamp application agent (not run by virtual-imp yet: agents are stored with the deployment).
device.on("status", function(data) {
    server.log("lamp status: " + http.jsonencode(data));
});
