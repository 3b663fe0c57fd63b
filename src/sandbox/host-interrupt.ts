// A way for the host to stop whatever a VM is running at once: Ctrl-C while firmware is in a
// runaway loop. Node runs a SIGINT handler only when its event loop gets a turn, which a VM
// busy in one long slice never gives, so the CLI sets a poll here (answered by another thread)
// and every VM's interrupt check asks it. The slice ends as at its deadline.

let poll: (() => boolean) | null = null;

/** Sets (or with null, clears) the question "has the host been asked to stop?". */
export function setHostInterrupt(question: (() => boolean) | null): void {
  poll = question;
}

export function hostInterruptRequested(): boolean {
  return poll !== null && poll();
}
