/** A failure the runner explains to the person at the terminal, with a stable code. */
export class RunnerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The process exit status when this ends the command. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'RunnerError';
  }
}

/** Exit statuses: 2 for a wrong command line, 3 when the platform removed this machine. */
export const EXIT_USAGE = 2;
export const EXIT_REVOKED = 3;
