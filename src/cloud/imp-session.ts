// One device's open session with the impCloud: the device's half of the conversation of
// device/cloud-link.ts, answered by the cloud after the network latency.

import type {
  CloudSession,
  CodeCheckAnswer,
  DeviceStateReport,
  FactoryTokenGrant,
} from "../device/cloud-link.ts";
import type { ImpCloud } from "./imp-cloud.ts";
import { SessionTransport } from "./session-transport.ts";

/** One device's open session with the impCloud. */
export class ImpSession extends SessionTransport<ImpCloud> implements CloudSession {
  /** Activation was refused: the code-check answer tells the imp to erase its credentials (/resources/imp-boot-procedure step 4, note). */
  private rejected = false;

  activate(planId: string, enrolmentToken: string, done: (activated: boolean) => void): void {
    this.roundTrip(() => {
      const { ok } = this.cloud.activate(this.hello, planId, enrolmentToken);
      this.rejected = !ok;
      return ok;
    }, done);
  }

  reportState(report: DeviceStateReport): void {
    this.cloud.later(() => {
      if (!this.open) return;
      this.impOSVersion = report.impOSVersion;
      this.cloud.reportState(report);
    });
  }

  checkCode(hash: string | null, done: (answer: CodeCheckAnswer) => void): void {
    this.roundTrip(
      () =>
        this.cloud.answer({ ...this.hello, impOSVersion: this.impOSVersion }, hash, this.rejected),
      done,
    );
  }

  log(kind: "log" | "error", message: string): void {
    this.cloud.later(() => this.cloud.deviceLog(this.deviceId, kind, message));
  }

  agentSend(name: string, dataJson: string): void {
    this.cloud.later(() => {
      if (this.open) this.cloud.agentSend(this.deviceId, name, dataJson);
    });
  }

  bless(pass: boolean, done: (blessed: boolean) => void): void {
    this.roundTrip(() => this.cloud.bless(this.deviceId, pass), done);
  }

  requestFactoryToken(done: (grant: FactoryTokenGrant | null) => void): void {
    this.roundTrip(() => this.cloud.factoryToken(this.deviceId), done);
  }

  // ---- the cloud's side

  /** A message from the device's agent. */
  agentMessage(name: string, dataJson: string): void {
    this.cloud.later(() => {
      if (this.open) this.inbox.agentMessage(name, dataJson);
    });
  }
}
