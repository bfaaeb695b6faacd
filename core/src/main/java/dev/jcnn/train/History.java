package dev.jcnn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** What {@code fit} returns: one {@link EpochStats} per epoch run, and why it stopped early, if it did. */
public final class History {

    private final List<EpochStats> epochs = new ArrayList<>();
    private String stopReason;

    void add(EpochStats e) {
        epochs.add(e);
    }

    void stopped(String reason) {
        stopReason = reason;
    }

    public List<EpochStats> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last epoch's figures. */
    public EpochStats last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch has run");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Whether a listener stopped the run before its last epoch. */
    public boolean stoppedEarly() {
        return stopReason != null;
    }

    /** The reason the listener gave when it stopped the run; empty when all epochs ran. */
    public Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }
}
