// Steps over values that are at hand or still coming: the in-memory state answers at once, Redis with a
// promise. Awaiting an answer already at hand still costs a promise and a turn of the microtask queue, which
// measured a few µs per governed request (docs/benchmarks.md).

export type Maybe<T> = T | Promise<T>;

/** `next` applied to `value`: at once when the value is at hand, else once it settles. */
export function andThen<T, R>(value: Maybe<T>, next: (v: T) => Maybe<R>): Maybe<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
