/** The statuses a problem response can carry in this API (problem-details.ts maps the categories). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 414 | 415 | 422 | 429 | 500 | 503;

/** The stable codes an operation can answer, by status. */
export type ProblemCodes = Partial<Record<ProblemStatus, readonly string[]>>;

export const ROUTE_PROBLEMS = 'cadre:route-problems';

/** Merges `more` into `codes`, each status's codes once, in order. */
export function mergeProblemCodes(codes: ProblemCodes, more: ProblemCodes): ProblemCodes {
  const merged: Record<number, string[]> = {};
  for (const source of [codes, more]) {
    for (const [status, list] of Object.entries(source)) {
      const into = (merged[Number(status)] ??= []);
      for (const code of list ?? []) if (!into.includes(code)) into.push(code);
    }
  }
  return merged as ProblemCodes;
}

/**
 * The problem responses (RFC 9457, `application/problem+json`) a route can answer, with their
 * stable codes; on a controller, for every route of it. Repeated uses add up (a parameter
 * decorator such as `@Command()` adds its own), and the document declares each status once with
 * the union of its codes as the `code` member's `enum` (see `completeContract`). Problems every
 * route shares (authentication, validation of a body, the database) are added there, not here.
 */
export const Problems =
  (codes: ProblemCodes): MethodDecorator & ClassDecorator =>
  (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor?.value as object | undefined) ?? target;
    const current = (Reflect.getMetadata(ROUTE_PROBLEMS, holder) as ProblemCodes | undefined) ?? {};
    Reflect.defineMetadata(ROUTE_PROBLEMS, mergeProblemCodes(current, codes), holder);
  };
