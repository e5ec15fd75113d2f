/**
 * Values made once per owner object and key, and kept as long as the owner lives: prepared
 * statements per connection and SQL text, child loggers per parent and host.
 */
export function memoPerOwner<Owner extends object, Value>(
  make: (owner: Owner, key: string) => Value,
): (owner: Owner, key: string) => Value {
  const byOwner = new WeakMap<Owner, Map<string, Value>>();

  return (owner, key) => {
    let byKey = byOwner.get(owner);
    if (!byKey) {
      byKey = new Map();
      byOwner.set(owner, byKey);
    }

    let value = byKey.get(key);
    if (value === undefined) {
      value = make(owner, key);
      byKey.set(key, value);
    }
    return value;
  };
}

/**
 * One value made per object, and kept as long as the object lives: a token scope per
 * configuration, a cache key per scope.
 */
export function memoPerObject<Owner extends object, Value>(
  make: (owner: Owner) => Value,
): (owner: Owner) => Value {
  const byOwner = new WeakMap<Owner, Value>();

  return (owner) => {
    let value = byOwner.get(owner);
    if (value === undefined) {
      value = make(owner);
      byOwner.set(owner, value);
    }
    return value;
  };
}
