package dev.ledger.export.log.internal;

/**
 * An open-addressing map from non-zero long keys to long values: 16 bytes a slot, no boxing, so the
 * notary can remember every event id of a tenant (as a 64-bit hash) cheaply. Not thread-safe.
 */
public final class LongLongMap {

  private long[] keys;
  private long[] values;
  private int size;

  public LongLongMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new long[capacity];
  }

  /** The value for {@code key}, or -1 when absent. Key 0 is remapped, so any long is a key. */
  public long get(long key) {
    long k = key == 0 ? 1 : key;
    int mask = keys.length - 1;
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == 0) {
        return -1;
      }
      if (keys[i] == k) {
        return values[i];
      }
    }
  }

  /** Sets {@code key} to {@code value} (not negative). */
  public void put(long key, long value) {
    if ((size + 1) * 2L > keys.length) {
      grow();
    }
    long k = key == 0 ? 1 : key;
    int mask = keys.length - 1;
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == 0) {
        keys[i] = k;
        values[i] = value;
        size++;
        return;
      }
      if (keys[i] == k) {
        values[i] = value;
        return;
      }
    }
  }

  public int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int mix(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public String toString() {
    return "LongLongMap[size=" + size + ", capacity=" + keys.length + "]";
  }
}
