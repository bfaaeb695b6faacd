package dev.jcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.train.LearningRateSchedule.Unit;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schedules against torch.optim.lr_scheduler's rates, position by position
 * (lr_schedules.json, written by scripts/make_lr_schedules.py with PyTorch 1.13).
 */
class LearningRateScheduleTest {

    private static List<JsonNode> torchCases() throws Exception {
        try (InputStream in = LearningRateScheduleTest.class.getResourceAsStream("lr_schedules.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> all = new ArrayList<>();
            root.get("cases").forEach(all::add);
            return all;
        }
    }

    private static LearningRateSchedule of(JsonNode c) {
        float base = (float) c.get("base").asDouble();
        return switch (c.get("kind").asText()) {
            case "step" -> LearningRateSchedule.step(base, c.get("step").asInt(), c.get("gamma").asDouble(), Unit.STEP);
            case "exponential" -> LearningRateSchedule.exponential(base, c.get("gamma").asDouble(), Unit.EPOCH);
            case "cosine" -> LearningRateSchedule.cosine(base, c.get("total").asLong(), c.get("warmup").asLong(),
                    (float) c.get("min").asDouble(), Unit.STEP);
            default -> throw new AssertionError("unknown kind " + c.get("kind"));
        };
    }

    @Test
    void everyRateMatchesPyTorch() throws Exception {
        List<JsonNode> cases = torchCases();
        assertEquals(9, cases.size(), "step, exponential and cosine cases");
        int compared = 0;
        for (JsonNode c : cases) {
            LearningRateSchedule s = of(c);
            JsonNode rates = c.get("rates");
            for (int t = 0; t < rates.size(); t++) {
                double expected = rates.get(t).asDouble();
                // float rates: PyTorch's doubles rounded once, plus its own recursive cosine's drift
                assertEquals(expected, s.learningRate(t), 1e-6 * expected + 1e-9, s.describe() + " at position " + t);
                compared++;
            }
        }
        assertTrue(compared > 150, compared + " rates compared");
    }

    @Test
    void cosineWarmsUpLinearlyThenEndsAtItsMinimum() {
        LearningRateSchedule s = LearningRateSchedule.cosine(0.1f, 10, 4, 0.01f, Unit.EPOCH);
        assertEquals(0.02f, s.learningRate(0), 1e-8f);
        assertEquals(0.08f, s.learningRate(3), 1e-8f);
        assertEquals(0.1f, s.learningRate(4), 1e-8f);
        assertEquals(0.01f, s.learningRate(10), 1e-8f);
        assertEquals(0.01f, s.learningRate(1000), 0f, "stays at the minimum after the end");
        assertEquals(Unit.EPOCH, s.unit());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.step(0.1f, 0, 0.5, Unit.EPOCH));
        assertTrue(e.getMessage().contains("step size 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(0.1f, 1.5, Unit.EPOCH));
        assertTrue(e.getMessage().contains("gamma 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1f, 5, 5, 0f, Unit.STEP));
        assertTrue(e.getMessage().contains("5 warm-up and 5 positions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1f, 5, 1, 0.2f, Unit.STEP));
        assertTrue(e.getMessage().contains("minimum rate 0.2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(0.1f, 0.9, Unit.STEP)
                .learningRate(-1));
        assertTrue(e.getMessage().contains("position -1"), e.getMessage());
    }
}
