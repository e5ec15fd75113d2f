/**
 * A stand-in for a value test hooks create and replace, such as a rig started in `beforeEach`.
 */

/**
 * An object that forwards every property read to what `current` returns at that moment, and
 * throws `outside` (the message) when there is nothing yet, as while a suite is being declared.
 */
export function standIn<T extends object>(current: () => T | undefined, outside: string): T {
  return new Proxy({} as T, {
    get(_, property) {
      const target = current();
      if (target === undefined) throw new Error(outside);
      return Reflect.get(target, property);
    },
  });
}
