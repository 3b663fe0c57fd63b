// Hand-written JavaScript twin of bench_loops.nut: int32 arithmetic as Squirrel does it.
let h = 0;
const n = 2500;
for (let i = 0; i < n; i++) {
  for (let j = 0; j < n; j++) {
    h = (Math.imul(h, 31) ^ ((Math.imul(i, j) + (j << 3) - (i >> 1)) | 0)) & 0x7fffffff;
    if ((i + j) % 7 === 0) h = (h + 12345) & 0x7fffffff;
  }
}
print("loops checksum: " + h + "\n");
