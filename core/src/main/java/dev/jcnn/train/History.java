package dev.jcnn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What {@code fit} returns: one {@link EpochStats} per epoch run. */
public final class History {

    private final List<EpochStats> epochs = new ArrayList<>();

    void add(EpochStats e) {
        epochs.add(e);
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
}
