/**
 * An error that stops a start for a reason the operator fixes (configuration, a busy data folder or
 * port): its message is a sentence saying what to do, which the entry point prints on stderr.
 */
export interface OperatorError extends Error {
  readonly saidToTheOperator: true;
}

export const saidToTheOperator = (error: Error): error is OperatorError =>
  (error as Partial<OperatorError>).saidToTheOperator === true;
