package io.streammix.operator.sizing;

import java.util.List;

/**
 * Least squares for the cost model's calibration: normal equations solved by Gaussian elimination, and a
 * non-negative variant (a cost term never saves CPU or memory) that drops a negative term and fits again.
 */
final class LeastSquares {
    private LeastSquares() {
    }

    static double[] fitNonNegative(List<double[]> x, double[] y) {
        boolean[] all = new boolean[x.get(0).length];
        java.util.Arrays.fill(all, true);
        return fitNonNegative(x, y, all);
    }

    /** Over the columns {@code allowed} only (the others are 0). */
    static double[] fitNonNegative(List<double[]> x, double[] y, boolean[] allowed) {
        int n = x.get(0).length;
        boolean[] active = allowed.clone();
        while (true) {
            double[] c = fit(x, y, active);
            int worst = -1;
            for (int j = 0; j < n; j++) {
                if (active[j] && c[j] < 0 && (worst < 0 || c[j] < c[worst])) {
                    worst = j;
                }
            }
            if (worst < 0) {
                return c;
            }
            active[worst] = false;
        }
    }

    /** Ordinary least squares over the active columns (the others are 0); a tiny ridge keeps collinear columns solvable. */
    static double[] fit(List<double[]> x, double[] y, boolean[] active) {
        int n = active.length;
        double[][] a = new double[n][n + 1];
        for (int r = 0; r < x.size(); r++) {
            double[] row = x.get(r);
            for (int i = 0; i < n; i++) {
                if (!active[i]) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (active[j]) {
                        a[i][j] += row[i] * row[j];
                    }
                }
                a[i][n] += row[i] * y[r];
            }
        }
        for (int i = 0; i < n; i++) {
            a[i][i] += active[i] ? 1e-6 : 1;
        }
        for (int p = 0; p < n; p++) {
            int best = p;
            for (int r = p + 1; r < n; r++) {
                if (Math.abs(a[r][p]) > Math.abs(a[best][p])) {
                    best = r;
                }
            }
            double[] t = a[p];
            a[p] = a[best];
            a[best] = t;
            for (int r = 0; r < n; r++) {
                if (r != p && a[p][p] != 0) {
                    double f = a[r][p] / a[p][p];
                    for (int k = p; k <= n; k++) {
                        a[r][k] -= f * a[p][k];
                    }
                }
            }
        }
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = active[i] && a[i][i] != 0 ? a[i][n] / a[i][i] : 0;
        }
        return c;
    }
}
