// Hand-written JavaScript twin of bench_table.nut: Maps for the string and the integer keys.
const N = 200000;
const t = new Map();
for (let i = 0; i < N; i++) t.set("k" + i, i);
const it = new Map();
for (let i = 0; i < N; i++) it.set(i * 7, i);
let sum = 0;
for (let i = 0; i < N; i += 3) sum = (sum + t.get("k" + i)) & 0x7fffffff;
let hits = 0;
for (let i = 0; i < N * 7; i += 5) if (it.has(i)) hits++;
let del = 0;
for (let i = 0; i < N; i += 2) {
  t.delete("k" + i);
  del++;
}
print(
  "table checksum: " + sum + " hits=" + hits + " remaining=" + t.size + " ints=" + it.size + "\n",
);
