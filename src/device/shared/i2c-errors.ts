// What `i2c.write()` and `i2c.readerror()` return when a transaction fails (developer.electricimp.com
// /resources/i2cerrors, and its forum threads). 0 means success.

export const I2C_OK = 0;

export const I2C_ERRORS = {
  /** The bus has not been configured (i2cerrors page: "Not Enabled (-13)"). */
  NOT_ENABLED: -13,
  /** The address was sent on a write and no peripheral acknowledged (forum: "-2 ... the slave has not acknowledged"). */
  ADDRESS_NOT_ACKNOWLEDGED: -2,
  /**
   * The address was sent on a read and no peripheral acknowledged (forum: a read from a wrong
   * address gives -6, "timeout waiting for address flag to be cleared").
   */
  READ_ADDRESS_NOT_ACKNOWLEDGED: -6,
} as const;
