// What `server.log`, `server.error`, `agent.send`, … return on the device: 0 on success, else
// one of these (/api/server/log, /api/server).

export const SEND_OK = 0;

export const SEND_ERRORS = {
  SEND_ERROR_NOT_CONNECTED: 1,
  SEND_ERROR_TIMEOUT: 2,
  SEND_ERROR_DISCONNECTED: 3,
  SEND_ERROR_WOULDBLOCK: 4, // impOS 38+: the data does not fit the send buffer
} as const;

export type SendErrorName = keyof typeof SEND_ERRORS;
export type SendError = (typeof SEND_ERRORS)[SendErrorName];
