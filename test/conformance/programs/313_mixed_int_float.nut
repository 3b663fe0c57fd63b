// Mixed integer/float arithmetic and comparison make the integer a 32-bit float first;
// float ordering follows the reference (same bits equal, else a < b ? -1 : 1)
print((16777217 + 0.5) + " " + format("%.1f", 16777217 + 0.5) + "\n");
print((2147483647 % 100.0) + " " + (2147483647 * 1.0) + " " + format("%.1f", 2147483647 - 1.0) + "\n");
print((16777217 == 16777216.0) + " " + (16777217 != 16777216.0) + " " + (16777217 <=> 16777216.0) + " " + (16777216.0 <=> 16777217) + "\n");
print((16777217 > 16777216.0) + " " + (16777216.0 < 16777217) + "\n");
print((-0.0 > 0.0) + " " + (-0.0 <=> 0.0) + " " + (0.0 <=> -0.0) + " " + (-0.0 == 0.0) + " " + (-0.0 < 0.0) + "\n");
local nan = 0.0 / 0.0;
print((nan > 1.0) + " " + (nan < 1.0) + " " + (1.0 > nan) + " " + (1.0 < nan) + " " + (nan <=> nan) + " " + (nan == nan) + " " + (nan != nan) + "\n");
print((nan > 1) + " " + (1 < nan) + " " + (1 <=> nan) + " " + (nan <=> 1) + " " + (nan == 1) + "\n");
print((0 == -0.0) + " " + (0 <=> -0.0) + " " + (-0.0 <=> 0) + "\n");
local x = nan;
print((x == x) + " " + (x != x) + "\n");
local arr = [3.0, -0.0, 0.0, 1, -1.0, 16777217, 16777216.0];
arr.sort();
local s = "";
foreach (v in arr) s += v + ",";
print(s + "\n");
