import { describe, expect, it } from "vitest";
import { deviceTests, FakeHost } from "./guest-device.ts";

const { run } = deviceTests();

describe("time(), date() and clock() on the device", () => {
  it("should read time() and date() from the host's RTC, in UTC", async () => {
    const host = new FakeHost();
    host.rtc = Date.UTC(2024, 1, 29, 23, 59, 58) / 1000 + 0.75; // a leap day, a Thursday
    const { status } = await run(
      `
server.log(time());
local d = date();
server.log(format("%d-%d-%d %d:%d:%d wday=%d yday=%d usec=%d", d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.usec));
server.log(d.time == time());
`,
      { host },
    );
    expect(status).toBe(0);
    const now = Math.floor(host.rtc);
    expect(host.logs).toEqual([String(now), "2024-1-29 23:59:58 wday=4 yday=59 usec=0", "true"]);
  });

  it("should give an all-zero date outside 2000–2099 and refuse the format argument", async () => {
    const { host } = await run(`
local d = date(946684799);
local sum = 0;
foreach (k, v in d) sum += v;
server.log(d.len() + " " + sum);
server.log(date(946684800).year);
try { date(0, "%Y"); } catch (e) { server.log(e); }
`);
    expect(host.logs).toEqual(["10 0", "2000", "wrong number of parameters"]);
  });

  it("should give clock() as float seconds since boot", async () => {
    const host = new FakeHost();
    host.uptime = 1_500_000;
    const { status } = await run(`server.log(typeof clock() + " " + clock());`, { host });
    expect(status).toBe(0);
    expect(host.logs).toEqual(["float 1.5"]);
  });
});
