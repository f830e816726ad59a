// Hedged requests: if the first attempt has not resolved (first byte of a stream, whole answer otherwise)
// after `delayMs`, a second attempt starts on another deployment; the first to resolve wins and the other
// is aborted, so the provider stops and only the winner's usage is counted.
import type { Running } from './attempt.ts';

/** Starts one leg; the signal aborts it if the other leg wins first. */
export type Leg<T> = (cancel: AbortSignal) => Promise<Running<T>>;

export function raceWithHedge<T>(first: Leg<T>, second: Leg<T> | undefined, delayMs: number): Promise<Running<T>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let pending = 0;
    let lastError: unknown;
    const cancels: AbortController[] = [];

    const launch = (leg: Leg<T>): void => {
      const cancel = new AbortController();
      cancels.push(cancel);
      pending++;
      leg(cancel.signal).then(
        (won) => {
          pending--;
          if (settled) return won.cancel();
          settled = true;
          clearTimeout(timer);
          for (const c of cancels) if (c !== cancel) c.abort();
          resolve(won);
        },
        (err) => {
          pending--;
          if (settled) return;
          lastError = err;
          // Nothing else in flight (the first leg failed before the hedge was due, or both failed): report
          // it, and the router retries or falls back as usual.
          if (pending === 0) {
            settled = true;
            clearTimeout(timer);
            reject(lastError);
          }
        },
      );
    };

    const timer = setTimeout(() => {
      if (settled || !second) return;
      launch(second);
    }, delayMs);
    launch(first);
  });
}
