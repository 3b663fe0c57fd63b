// print writes a string up to its first NUL byte, as sq prints C strings
print("ab\x00cd\n");
print("\n");
print("x\x00");
print("y\n");
print(format("%s|%d\n", "p\x00q", "a\x00b".len()));
