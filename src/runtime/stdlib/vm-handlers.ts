// The handlers a Squirrel program can give its VM (squirrel/sqapi.cpp, sq_seterrorhandler,
// sq_setdebughook, sq_enabledebuginfo). The root and const tables live in ../state.ts.

export const vmHandlers = {
  /** Set by seterrorhandler(): a function or null. */
  errorHandler: null as unknown,
  /** Set by setdebughook(): a function or null. */
  debugHook: null as unknown,
  /** Set by enabledebuginfo(). */
  debugInfo: false,
};
