package dev.jcnn.cuda;

/**
 * The arguments of one column-major cuBLAS SGEMM, C = alpha·op(A)·op(B) + beta·C, for the
 * row-major matrices of the dense layer. A row-major (r × c) matrix is, unchanged in
 * memory, the column-major (c × r) matrix: its transpose. So with x (n × in), w (out × in)
 * and y (n × out) row-major, y = x·wᵀ reads yᵀ = w·xᵀ in column-major terms, and so on.
 *
 * @param transA whether op(A) = Aᵀ
 * @param transB whether op(B) = Bᵀ
 * @param m      rows of op(A) and C
 * @param n      columns of op(B) and C
 * @param k      columns of op(A), rows of op(B)
 * @param lda    leading dimension of A
 * @param ldb    leading dimension of B
 * @param ldc    leading dimension of C
 */
record GemmCall(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {

    /** y (batch × out) = x (batch × in) · wᵀ: A = w, B = x, C = y. */
    static GemmCall forward(int batch, int in, int out) {
        return new GemmCall(true, false, out, batch, in, in, in, out);
    }

    /** y (batch × out) += bias (out) for every row: A = bias (out × 1), B = ones (1 × batch), C = y. */
    static GemmCall biasBroadcast(int batch, int out) {
        return new GemmCall(false, false, out, batch, 1, out, 1, out);
    }

    /** dx (batch × in) = dy (batch × out) · w (out × in): A = w, B = dy, C = dx. */
    static GemmCall backwardData(int batch, int in, int out) {
        return new GemmCall(false, false, in, batch, out, in, out, in);
    }

    /** dw (out × in) = dyᵀ · x: A = x, B = dy, C = dw. */
    static GemmCall backwardWeights(int batch, int in, int out) {
        return new GemmCall(false, true, in, out, batch, in, out, in);
    }

    /**
     * The bias gradient db (out) = Σ over rows of dy (batch × out), as the column-major
     * SGEMV y = A·x with A = dy seen as (out × batch), lda = out, x = ones (batch).
     */
    record Gemv(int m, int n, int lda) {

        static Gemv biasGradient(int batch, int out) {
            return new Gemv(out, batch, out);
        }
    }
}
