// What the sandbox tests share: VMs disposed after each test, and a slice's value or its failure.
import { afterEach } from "vitest";
import type { EvaluateResult, HostValue, Vm } from "../../src/sandbox/engine.ts";

/**
 * Registers an afterEach that disposes every VM given to the returned function since the last
 * test; the function gives the VM back, so `keep(await engine.createVm(...))` reads as one step.
 */
export function disposedAfterEach(): <T extends Vm>(vm: T) => T {
  const open: Vm[] = [];
  afterEach(() => {
    for (const vm of open.splice(0)) vm.dispose();
  });
  return (vm) => {
    open.push(vm);
    return vm;
  };
}

/** The value of a slice that succeeded; a failure fails the test with its kind and message. */
export function valueOf(result: EvaluateResult): HostValue | undefined {
  if (!result.ok)
    throw new Error(`expected success, got ${result.failure.kind}: ${result.failure.message}`);
  return result.value;
}
