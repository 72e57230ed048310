package headroom.scoring.predict;

/** Small dense linear solves for the fit (at most 6 x 6): Gaussian elimination with partial pivoting. */
final class Linear {

    private Linear() {
    }

    /** x with a x = b, or null when a is singular to working precision. Does not modify its arguments. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
            for (int j = 0; j < n; j++) scale = Math.max(scale, Math.abs(a[i][j]));
        }
        if (!(scale > 0) || !Double.isFinite(scale)) return null;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
            if (Math.abs(m[pivot][col]) <= 1e-14 * scale) return null;
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) m[r][c] -= f * m[col][c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) s -= m[r][c] * x[c];
            x[r] = s / m[r][r];
        }
        for (double v : x) if (!Double.isFinite(v)) return null;
        return x;
    }

    /** As {@link #solve}, with a ridge of 1e-9 of the diagonal, so collinear columns (a constant D) still give a start. */
    static double[] solveRidged(double[][] a, double[] b) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].clone();
            r[i][i] += 1e-9 * Math.max(Math.abs(a[i][i]), 1e-300);
        }
        return solve(r, b);
    }
}
