// Hand-written JavaScript twin of bench_fib.nut: the same work, the same checksum.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
let total = 0;
for (let i = 0; i < 10; i++) total = (total + fib(27)) | 0;
print("fib(27) x10 checksum: " + total + "\n");
