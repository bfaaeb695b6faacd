package dev.jcnn.cuda;

import dev.jcnn.backend.ActivationKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The backend's own kernels in jcnn_kernels.ptx: entry name and parameter signature, one
 * letter per parameter (p device pointer, i int, f float, d double). Launches are checked
 * against the signature, and a test checks the signature against the PTX.
 *
 * <p>Most kernels are named here once. The kernels of an activation kind that
 * {@link Activations#route} gives to this backend's own kernels are named after the kind
 * instead ({@link #activationForward}), so a new kind needs no entry here.
 */
final class Kernel {

    /** The fixed kernels, in the order they are declared; filled before the constants below. */
    private static final List<Kernel> FIXED = new ArrayList<>();

    static final Kernel FILL = fixed("fill_f32", "pfi");
    static final Kernel SCALE = fixed("scale_f32", "pfpi");
    static final Kernel PAD = fixed("pad_f32", "ppiiiiiiif");
    static final Kernel CROP = fixed("crop_f32", "ppiiiiiii");
    static final Kernel SCALE_PLANES = fixed("scale_planes_f32", "ppii");
    static final Kernel MULTIPLY = fixed("multiply_f32", "pppi");
    static final Kernel ADD_BIAS = fixed("add_bias_f32", "pppiii");
    static final Kernel COPY_ROWS = fixed("copy_rows_f32", "ppiiiiii");
    static final Kernel UPSAMPLE_NEAREST_FORWARD = fixed("upsample_nearest_fwd", "ppiiiii");
    static final Kernel UPSAMPLE_NEAREST_BACKWARD = fixed("upsample_nearest_bwd", "ppiiiii");
    static final Kernel UPSAMPLE_BILINEAR_FORWARD = fixed("upsample_bilinear_fwd", "ppiiiii");
    static final Kernel UPSAMPLE_BILINEAR_BACKWARD = fixed("upsample_bilinear_bwd", "ppiiiii");
    static final Kernel PRELU_FORWARD = fixed("prelu_fwd", "pppiii");
    static final Kernel PRELU_BACKWARD_DATA = fixed("prelu_bwd_data", "ppppiii");
    static final Kernel PRELU_BACKWARD_ALPHA = fixed("prelu_bwd_alpha", "pppiii");
    static final Kernel SOFTMAX_CROSS_ENTROPY = fixed("softmax_xent", "pppppiiiddddi");
    static final Kernel SOFTMAX_LOG_SUM_EXP = fixed("softmax_log_sum_exp", "ppiii");
    static final Kernel SOFTMAX_DICE_SUMS = fixed("softmax_dice_sums", "ppppiii");
    static final Kernel SOFTMAX_DICE_GRADIENT = fixed("softmax_dice_grad", "pppppiii");
    static final Kernel SIGMOID_DICE_SUMS = fixed("sigmoid_dice_sums", "pppi");
    static final Kernel SIGMOID_DICE_GRADIENT = fixed("sigmoid_dice_grad", "pppddi");
    static final Kernel SIGMOID_CROSS_ENTROPY = fixed("sigmoid_xent", "ppppi");
    static final Kernel SQUARED_ERROR = fixed("squared_error", "ppppi");
    static final Kernel SGD_UPDATE = fixed("sgd_update", "pppfffii");
    static final Kernel ADAM_UPDATE = fixed("adam_update", "ppppddddddi");
    static final Kernel ADAMW_UPDATE = fixed("adamw_update", "ppppddddddi");
    static final Kernel RMSPROP_UPDATE = fixed("rmsprop_update", "pppppdddddii");
    static final Kernel SUM_SQUARES = fixed("sum_squares", "ppi");

    /** Parameters of every activation kernel's forward pass: x, y, alpha, n. */
    static final String ACTIVATION_FORWARD_SIGNATURE = "ppfi";

    /** Parameters of every activation kernel's backward pass: x, y, dy, dx, alpha, n. */
    static final String ACTIVATION_BACKWARD_SIGNATURE = "ppppfi";

    private static final Map<ActivationKind, Kernel> ACTIVATION_FORWARD = new EnumMap<>(ActivationKind.class);
    private static final Map<ActivationKind, Kernel> ACTIVATION_BACKWARD = new EnumMap<>(ActivationKind.class);

    static {
        for (ActivationKind k : ActivationKind.values()) {
            if (Activations.route(k) == Activations.Route.OWN_KERNELS) {
                String name = k.name().toLowerCase(Locale.ROOT);
                ACTIVATION_FORWARD.put(k, new Kernel(name + "_fwd", ACTIVATION_FORWARD_SIGNATURE));
                ACTIVATION_BACKWARD.put(k, new Kernel(name + "_bwd", ACTIVATION_BACKWARD_SIGNATURE));
            }
        }
    }

    /** The PTX resource, relative to this class. */
    static final String PTX_RESOURCE = "jcnn_kernels.ptx";

    /** Threads per block of every launch; the reducing kernels are written for exactly this many. */
    static final int BLOCK = 256;

    private final String entry;
    private final String signature;

    private Kernel(String entry, String signature) {
        this.entry = entry;
        this.signature = signature;
    }

    private static Kernel fixed(String entry, String signature) {
        Kernel k = new Kernel(entry, signature);
        FIXED.add(k);
        return k;
    }

    /**
     * y = f(x) of an activation kind routed to this backend's own kernels: the entry
     * {@code <kind>_fwd} (e.g. {@code elu_fwd}) with parameters (x, y, alpha, n).
     */
    static Kernel activationForward(ActivationKind kind) {
        return activation(ACTIVATION_FORWARD, kind);
    }

    /**
     * dx = f'(x)·dy of an activation kind routed to this backend's own kernels: the entry
     * {@code <kind>_bwd} with parameters (x, y, dy, dx, alpha, n).
     */
    static Kernel activationBackward(ActivationKind kind) {
        return activation(ACTIVATION_BACKWARD, kind);
    }

    private static Kernel activation(Map<ActivationKind, Kernel> kernels, ActivationKind kind) {
        Kernel k = kernels.get(kind);
        if (k == null) {
            throw new IllegalArgumentException("activation " + kind + " is routed to " + Activations.route(kind)
                    + ", not to this backend's own kernels");
        }
        return k;
    }

    /** Every kernel the PTX must hold: the fixed ones, then each own-kernel activation's pair in kind order. */
    static List<Kernel> values() {
        List<Kernel> all = new ArrayList<>(FIXED);
        for (ActivationKind k : ACTIVATION_FORWARD.keySet()) {
            all.add(ACTIVATION_FORWARD.get(k));
            all.add(ACTIVATION_BACKWARD.get(k));
        }
        return Collections.unmodifiableList(all);
    }

    /** The .entry name in the PTX. */
    String entry() {
        return entry;
    }

    /** One letter per parameter: p pointer, i int, f float, d double. */
    String signature() {
        return signature;
    }

    @Override
    public String toString() {
        return entry + "(" + signature + ")";
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
