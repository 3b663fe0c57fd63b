// Calls that never return (imp.reset(), server.restart(), the deep-sleep family: /api/imp/deepsleepfor) stop
// the firmware where it stands: the host tears the VM down after the current event. The guest
// unwinds with a value that is not an Error, so no Squirrel `catch` takes it (program.ts
// `caught` rethrows anything that is not an Error) and no handler sees it as an error.

export class VmExit {
  constructor(readonly call: string) {}
}

/** Ends the running event: the host has already been told what comes next. */
export function leaveVm(call: string): never {
  throw new VmExit(call);
}
