// WebAssembly memories for VMs, made in batches when VMs start in a burst.
//
// V8 counts a WebAssembly memory's bytes as external memory of the young generation when the
// memory is made, and scavenges when such bytes pass a few tens of megabytes at the next
// ArrayBuffer made (each WebAssembly instance makes one). Made one per VM, a thousand ~7 MiB
// memories cost hundreds of scavenges, each promoting the two or three memories made since the
// last; made in batches, one scavenge promotes a whole batch. A memory is taken from the pool
// untouched, so it is exactly what a new one would be.
//
// A batch is one memory when VMs start now and then; it doubles while they start in a burst
// (the pool runs dry within BURST_MS of its last refill), up to MAX_BATCH. What is left in the
// pool costs address space only: no page of an unused memory is ever touched.

const MAX_BATCH = 64;
const BURST_MS = 250;

interface Pool {
  readonly memories: WebAssembly.Memory[];
  batch: number;
  refilledAt: number;
}

const pools = new Map<string, Pool>();

/** A new memory of `initial` pages growing to at most `maximum`, as `new WebAssembly.Memory` would make it. */
export function takeMemory(initial: number, maximum: number): WebAssembly.Memory {
  const key = `${initial}/${maximum}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = { memories: [], batch: 0, refilledAt: -Infinity };
    pools.set(key, pool);
  }
  const taken = pool.memories.pop();
  if (taken !== undefined) return taken;
  const now = performance.now();
  pool.batch = now - pool.refilledAt < BURST_MS ? Math.min(pool.batch * 2, MAX_BATCH) : 1;
  pool.refilledAt = now;
  for (let i = 1; i < pool.batch; i++)
    pool.memories.push(new WebAssembly.Memory({ initial, maximum }));
  return new WebAssembly.Memory({ initial, maximum });
}
