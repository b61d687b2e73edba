/** The job's input can never succeed (bad file, missing upload): fail at once, no retries. */
export class JobInputError extends Error {}

/** The job noticed a cancellation request and stopped between steps. */
export class JobCancelledError extends Error {
  constructor() { super('Cancelled'); }
}
