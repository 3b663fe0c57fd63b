// SmartLamp fixture agent (Fixture Device Group "lamp-fixtures"). Each DUT's agent posts its
// test result here (to imp.configparams.factory_fixture_url, FactoryTools' getFactoryFixtureURL);
// the fixture agent prints the label line the packing station reads.

local count = 0;

http.onrequest(function(request, response) {
    if (request.method != "POST" || request.path != "/result") {
        response.send(404, "not found");
        return;
    }
    local result = null;
    try { result = http.jsondecode(request.body); } catch (e) {}
    if (result == null || !("device_id" in result) || !("passed" in result)) {
        response.send(400, "expected {device_id, mac, passed}");
        return;
    }
    count++;
    server.log(format("LABEL %03d SmartLamp %s %s %s", count, result.device_id, result.mac, result.passed ? "PASS" : "FAIL"));
    response.send(200, "label " + count);
});

server.log("fixture agent ready at " + http.agenturl());
