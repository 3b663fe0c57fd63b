// Hand-written JavaScript twin of bench_class.nut.
class Vec2 {
  constructor(a, b) {
    this.x = a;
    this.y = b;
  }
  dot(o) {
    return (Math.imul(this.x, o.x) + Math.imul(this.y, o.y)) | 0;
  }
  addInPlace(o) {
    this.x = (this.x + o.x) | 0;
    this.y = (this.y + o.y) | 0;
    return this;
  }
  scaled(k) {
    return new Vec2(Math.imul(this.x, k), Math.imul(this.y, k));
  }
}
class Counter {
  constructor() {
    this.n = 0;
  }
  step(v) {
    this.n = (this.n + v) & 0x7fffffff;
    return this.n;
  }
}
let acc = new Vec2(0, 0);
const c = new Counter();
let d = 0;
for (let i = 0; i < 1000000; i++) {
  const v = new Vec2(i & 15, (i >> 4) & 15);
  acc.addInPlace(v);
  d = (d + v.dot(acc)) & 0x7fffffff;
  c.step(d & 255);
  if ((i & 1023) === 0) acc = acc.scaled(0).addInPlace(v);
}
print("class checksum: " + d + " " + c.n + " " + acc.x + " " + acc.y + "\n");
