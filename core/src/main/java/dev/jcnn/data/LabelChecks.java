package dev.jcnn.data;

/** The label checks shared by the datasets that own storage. */
final class LabelChecks {

    private LabelChecks() {
    }

    /** Returns classes after checking it is positive and every label lies in [0, classes). */
    static int requireLabels(int[] labels, int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("classes " + classes + ": expected a positive count");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        return classes;
    }
}
