package dev.jcnn.backend;

/** Zero padding of an image, in rows (top, bottom) and columns (left, right). */
public record Padding2D(int top, int bottom, int left, int right) {

    public static final Padding2D NONE = new Padding2D(0, 0, 0, 0);

    public Padding2D {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must be non-negative, got top " + top + ", bottom " + bottom
                    + ", left " + left + ", right " + right);
        }
    }

    /** The same padding p on every side. */
    public static Padding2D of(int p) {
        return new Padding2D(p, p, p, p);
    }

    /** Symmetric padding: ph rows above and below, pw columns left and right. */
    public static Padding2D of(int ph, int pw) {
        return new Padding2D(ph, ph, pw, pw);
    }

    public boolean isSymmetric() {
        return top == bottom && left == right;
    }

    public boolean isZero() {
        return top == 0 && bottom == 0 && left == 0 && right == 0;
    }
}
