// Hand-written JavaScript twin of bench_strings.nut.
const parts = [];
for (let i = 0; i < 300000; i++) parts.push("item" + i + ";");
const chunks = [];
let cur = "";
for (const p of parts) {
  cur += p;
  if (cur.length > 200) {
    chunks.push(cur);
    cur = "";
  }
}
chunks.push(cur);
let sum = 0;
let found = 0;
for (const c of chunks) {
  const up = c.toUpperCase();
  sum = (Math.imul(sum, 7) + up.length + up.charCodeAt(up.length >> 1)) & 0x7fffffff;
  for (let pos = 0, f; (f = c.indexOf("9;", pos)) !== -1; pos = f + 1) found++;
  const s = c.slice(1, -1);
  sum = (sum + s.length) & 0x7fffffff;
}
let total = 0;
for (const c of chunks) total += c.length;
// Squirrel's split() drops empty pieces.
const words = chunks[0].split(";").filter((w) => w.length > 0);
print(
  "strings checksum: " +
    sum +
    " found=" +
    found +
    " len=" +
    total +
    " words=" +
    words.length +
    "\n",
);
