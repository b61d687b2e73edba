// Errors services throw for bad query arguments (queries have no userErrors payload);
// the GraphQL layer reports them with code BAD_USER_INPUT.
export class BadInputError extends Error {
  constructor(message: string, readonly field?: string) { super(message); }
}
