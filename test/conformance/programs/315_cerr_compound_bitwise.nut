// Squirrel has no compound bitwise assignments
local a = 5;
print("NOT REACHED\n");
a <<= 1;
