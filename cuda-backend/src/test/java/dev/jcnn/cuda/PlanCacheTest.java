package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans are made once per key, the least recently used is closed when the cache is full, the rest on close. */
class PlanCacheTest {

    private final List<String> closed = new ArrayList<>();
    private int made;

    private record Plan(String key, List<String> closed) implements AutoCloseable {
        @Override
        public void close() {
            closed.add(key);
        }
    }

    private Plan make(String key) {
        made++;
        return new Plan(key, closed);
    }

    @Test
    void makesOncePerKeyAndEvictsTheLeastRecentlyUsed() {
        try (PlanCache<String, Plan> cache = new PlanCache<>(2)) {
            Plan a = cache.get("a", this::make);
            assertSame(a, cache.get("a", this::make));
            assertEquals(1, made);
            cache.get("b", this::make);
            cache.get("a", this::make); // a is now the most recent
            cache.get("c", this::make); // evicts b
            assertEquals(List.of("b"), closed);
            assertTrue(cache.contains("a"));
            assertFalse(cache.contains("b"));
            assertEquals(2, cache.size());
        }
        assertEquals(List.of("b", "a", "c"), closed);
    }
}
