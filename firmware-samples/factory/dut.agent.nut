// SmartLamp DUT agent (DUT Device Group "lamp-dut"): passes the DUT's test result on to the
// fixture that configured it, at the fixture's agent URL (imp.configparams.factory_fixture_url),
// retrying a few times if the fixture's agent does not answer.

function post(result, attempt) {
    local url = imp.configparams.factory_fixture_url + "/result";
    http.post(url, { "Content-Type": "application/json" }, http.jsonencode(result)).sendasync(function(response) {
        if (response.statuscode == 200) {
            server.log("fixture printed " + response.body + " for " + result.device_id);
        } else if (attempt < 3) {
            imp.wakeup(attempt, function() { post(result, attempt + 1); });
        } else {
            server.error("fixture did not take the result: " + response.statuscode);
        }
    });
}

device.on("testresult", function(result) {
    post(result, 1);
});
