package dev.jcnn.cuda;

/**
 * The backend's own kernels in jcnn_kernels.ptx: entry name and parameter signature, one
 * letter per parameter (p device pointer, i int, f float, d double). Launches are checked
 * against the signature, and a test checks the signature against the PTX.
 */
enum Kernel {
    FILL("fill_f32", "pfi"),
    SCALE("scale_f32", "pfpi"),
    PAD("pad_f32", "ppiiiiiiif"),
    CROP("crop_f32", "ppiiiiiii"),
    SCALE_PLANES("scale_planes_f32", "ppii"),
    MULTIPLY("multiply_f32", "pppi"),
    ADD_BIAS("add_bias_f32", "pppiii"),
    COPY_ROWS("copy_rows_f32", "ppiiiiii"),
    UPSAMPLE_NEAREST_FORWARD("upsample_nearest_fwd", "ppiiiii"),
    UPSAMPLE_NEAREST_BACKWARD("upsample_nearest_bwd", "ppiiiii"),
    UPSAMPLE_BILINEAR_FORWARD("upsample_bilinear_fwd", "ppiiiii"),
    UPSAMPLE_BILINEAR_BACKWARD("upsample_bilinear_bwd", "ppiiiii"),
    LEAKY_RELU_FORWARD("leaky_relu_fwd", "ppfi"),
    LEAKY_RELU_BACKWARD("leaky_relu_bwd", "pppfi"),
    ELU_FORWARD("elu_fwd", "ppfi"),
    ELU_BACKWARD("elu_bwd", "ppppfi"),
    PRELU_FORWARD("prelu_fwd", "pppiii"),
    PRELU_BACKWARD_DATA("prelu_bwd_data", "ppppiii"),
    PRELU_BACKWARD_ALPHA("prelu_bwd_alpha", "pppiii"),
    SOFTMAX_CROSS_ENTROPY("softmax_xent", "ppppii"),
    SIGMOID_CROSS_ENTROPY("sigmoid_xent", "ppppi"),
    SQUARED_ERROR("squared_error", "ppppi"),
    SGD_UPDATE("sgd_update", "pppfffii"),
    ADAM_UPDATE("adam_update", "ppppddddddi");

    /** The PTX resource, relative to this class. */
    static final String PTX_RESOURCE = "jcnn_kernels.ptx";

    /** Threads per block of every launch; the reducing kernels are written for exactly this many. */
    static final int BLOCK = 256;

    private final String entry;
    private final String signature;

    Kernel(String entry, String signature) {
        this.entry = entry;
        this.signature = signature;
    }

    /** The .entry name in the PTX. */
    String entry() {
        return entry;
    }

    /** One letter per parameter: p pointer, i int, f float, d double. */
    String signature() {
        return signature;
    }

    /**
     * Checks launch arguments against the signature: a pointer is a {@link DevicePointer}
     * (null for a null pointer), an int an Integer, a float a Float, a double a Double.
     */
    void checkArguments(Object... args) {
        if (args.length != signature.length()) {
            throw new IllegalArgumentException("kernel " + entry + " takes " + signature.length() + " arguments ("
                    + signature + "), got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            char kind = signature.charAt(i);
            Object a = args[i];
            boolean ok = switch (kind) {
                case 'p' -> a == null || a instanceof DevicePointer;
                case 'i' -> a instanceof Integer;
                case 'f' -> a instanceof Float;
                case 'd' -> a instanceof Double;
                default -> false;
            };
            if (!ok) {
                throw new IllegalArgumentException("kernel " + entry + " argument " + i + " must be "
                        + switch (kind) {
                            case 'p' -> "a device pointer";
                            case 'i' -> "an int";
                            case 'f' -> "a float";
                            default -> "a double";
                        } + ", got " + (a == null ? "null" : a.getClass().getSimpleName() + " " + a));
            }
        }
    }
}
