package dev.jcnn.cuda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used cache of per-shape plans (descriptors, chosen algorithms,
 * device buffers), so that they are set up when a shape first appears and not on every call.
 * Evicted and remaining plans are closed.
 */
final class PlanCache<K, V extends AutoCloseable> implements AutoCloseable {

    private final int capacity;
    private final LinkedHashMap<K, V> plans;

    PlanCache(int capacity) {
        this.capacity = capacity;
        this.plans = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() > PlanCache.this.capacity) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** The plan for this key, made by {@code make} the first time. */
    V get(K key, Function<K, V> make) {
        V v = plans.get(key);
        if (v == null) {
            v = make.apply(key);
            plans.put(key, v);
        }
        return v;
    }

    int size() {
        return plans.size();
    }

    boolean contains(K key) {
        return plans.containsKey(key);
    }

    @Override
    public void close() {
        for (V v : plans.values()) {
            closeQuietly(v);
        }
        plans.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("releasing a cached plan failed: " + e.getMessage(), e);
        }
    }
}
