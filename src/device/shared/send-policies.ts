// The send-timeout policy firmware sets with server.setsendtimeoutpolicy(policy, wait, timeout):
// the guest installs the names, the host applies the policy when a send cannot go out.

/** server.setsendtimeoutpolicy's first argument (/api/server/setsendtimeoutpolicy). chosen values. */
export const SEND_TIMEOUT_POLICIES = {
  SUSPEND_ON_ERROR: 0, // the default
  RETURN_ON_ERROR: 1,
  RETURN_ON_ERROR_NO_DISCONNECT: 2, // impOS 38+
} as const;

/** server.setsendtimeoutpolicy's second argument (/api/server/setsendtimeoutpolicy). chosen values. */
export const WAIT_POLICIES = {
  WAIT_TIL_SENT: 0, // the default
  WAIT_FOR_ACK: 1,
} as const;
