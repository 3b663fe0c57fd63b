// Hand-written JavaScript twin of bench_sort.nut.
const N = 200000;
let seed = 42;
const a = [];
for (let i = 0; i < N; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  a.push(seed % 1000000);
}
const b = a.slice();
a.sort((x, y) => x - y);
let ok = true;
for (let i = 1; i < N; i++) {
  if (a[i - 1] > a[i]) {
    ok = false;
    break;
  }
}
b.sort((x, y) => (y > x ? 1 : y < x ? -1 : 0));
let sum = 0;
for (let i = 0; i < N; i += 1000) sum = (Math.imul(sum, 3) + a[i] + b[i]) & 0x7fffffff;
print("sort checksum: " + sum + " sorted=" + ok + " min=" + a[0] + " max=" + b[0] + "\n");
