// The agent's outgoing-request rate limit (developer.electricimp.com /api/httprequest): 40
// credits, one per request, regained at 2 per second up to 40 — about 120 requests a minute —
// counted on the virtual clock.

import { MICROS_PER_SECOND } from "../../sim/scheduler.ts";

export const REQUEST_CREDITS = { max: 40, perSecond: 2 } as const;

/**
 * chosen: what a request over the limit gets. The docs' text is cut off; a status below 100
 * (the request was not made) and a logged warning, as the spec digest suggests.
 */
export const RATE_LIMITED_STATUS = 0;

export class RequestCredits {
  private credits: number = REQUEST_CREDITS.max;
  private at: number;

  constructor(now: number) {
    this.at = now;
  }

  /** Takes one credit at virtual time `now`; false when none is left. */
  take(now: number): boolean {
    const regained = ((now - this.at) / MICROS_PER_SECOND) * REQUEST_CREDITS.perSecond;
    this.credits = Math.min(REQUEST_CREDITS.max, this.credits + regained);
    this.at = now;
    if (this.credits < 1) return false;
    this.credits -= 1;
    return true;
  }
}
