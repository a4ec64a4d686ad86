/**
 * Runs `call` and reports its duration in seconds (and its error, when it rejected) to `done` before
 * passing the outcome on unchanged. `done` must not throw.
 */
export async function timed<T>(call: () => Promise<T>, done: (seconds: number, error: unknown) => void): Promise<T> {
  const started = performance.now();
  try {
    const result = await call();
    done((performance.now() - started) / 1000, undefined);
    return result;
  } catch (error) {
    done((performance.now() - started) / 1000, error);
    throw error;
  }
}
