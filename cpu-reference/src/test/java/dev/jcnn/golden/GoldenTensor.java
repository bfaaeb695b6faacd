package dev.jcnn.golden;

import dev.jcnn.tensor.Shape;

/** One tensor of a golden case: its shape and row-major values (float32-exact inputs, float64 outputs). */
public record GoldenTensor(Shape shape, double[] data) {

    /** The values as float32, exactly as PyTorch held the inputs. */
    public float[] floats() {
        float[] f = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            f[i] = (float) data[i];
        }
        return f;
    }

    /** The values as integers (class labels stored as floats); throws naming the first value that is not one. */
    public int[] ints(String where) {
        int[] v = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            if (data[i] != Math.rint(data[i]) || Math.abs(data[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + ": value " + data[i] + " at index " + i + " is not an integer");
            }
            v[i] = (int) data[i];
        }
        return v;
    }
}
