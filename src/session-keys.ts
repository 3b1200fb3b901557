/**
 * Names a session key must not take, because writing the visitor under them would break the session
 * object: `__proto__` (assigning it replaces the session's prototype), the other Object.prototype members,
 * and the members that express-session 1.19 and koa-session 7 define on their sessions.
 */
const RESERVED_SESSION_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
  // express-session's Session
  'id', 'cookie', 'req', 'regenerate', 'destroy', 'reload', 'save', 'touch', 'resetMaxAge',
  // koa-session's Session
  'isNew', 'toJSON', 'length', 'populated', 'maxAge', 'externalKey', 'manuallyCommit', 'commit',
]);

/** Description of an allowed session key, as the option error states it. */
export const SESSION_KEY_RULE = 'a non-empty string of at most 100 characters that does not start with "_" (koa-session does not '
  + 'save such keys) and is not a name the session object uses itself, such as "__proto__", "constructor", "prototype", '
  + '"cookie" or "save"';

/** Test a session key against the names that express-session and koa-session use or drop. */
export function isUsableSessionKey(key: string): boolean {
  return !key.startsWith('_') && !RESERVED_SESSION_KEYS.has(key);
}
