/**
 * A view of the store whose `appendEvents` also wakes the processor once the events are durable,
 * so an event is processed at once instead of at the next poll.
 */
import type { Store } from '../store/store.js';

export function notifyOnAppend(store: Store, onAppended: () => void): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendEvents') {
        return async (...args: Parameters<Store['appendEvents']>) => {
          await target.appendEvents(...args);
          onAppended();
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
