/** The embedded database could not be started; the message says what to do. */
export class DatabaseStartError extends Error {
  constructor(
    message: string,
    readonly code: 'DB_START_FAILED' | 'DB_IN_USE' = 'DB_START_FAILED',
  ) {
    super(message);
  }
}
