/**
 * A transform refused its input. Thrown by the transforms and caught by the engine, which turns
 * it into a drop reason (for the key) or a warning (for any other attribute); it never leaves the
 * mapping module.
 */
export class TransformRejected extends Error {
  /**
   * What is wrong, phrased to follow the source path (`is not a possible phone number`). It never
   * quotes the value: reasons and warnings are logged, and values are personal data.
   */
  readonly problem: string;

  constructor(problem: string) {
    super(problem);
    this.name = 'TransformRejected';
    this.problem = problem;
  }
}
