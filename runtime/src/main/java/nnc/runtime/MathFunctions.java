package nnc.runtime;

/**
 * Elementwise functions that java.lang.Math lacks, accurate to a few ulp in double, for generated
 * code and the interpreter alike (one definition, so they cannot disagree).
 */
public final class MathFunctions {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private MathFunctions() {}

    /** log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * The error function. Below |x| = 4 by the series e^-x^2 sum 2^n x^(2n+1) / (2n+1)!!, whose
     * terms are all positive (no cancellation); above, 1 - erfc(x) by erfc's continued fraction.
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 4) {
            double x2 = a * a;
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else if (a < 7) {
            r = 1 - erfcContinuedFraction(a);
        } else {
            r = 1;
        }
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x &gt;= 4: e^-x^2 / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))). */
    private static double erfcContinuedFraction(double x) {
        double f = x;
        for (int k = 60; k >= 1; k--) {
            f = x + (k / 2.0) / f;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** sin(x) / x, with its limit 1 at 0 (a Taylor polynomial near 0, so no 0/0). */
    public static double sinc(double x) {
        double x2 = x * x;
        if (x2 < 1e-6) {
            return 1 - x2 / 6 + x2 * x2 / 120;
        }
        return Math.sin(x) / x;
    }

    /** The derivative of sinc: (cos x - sinc x) / x, with its limit 0 at 0. */
    public static double sincDerivative(double x) {
        double x2 = x * x;
        if (x2 < 1e-4) {
            return x * (-1.0 / 3 + x2 / 30 - x2 * x2 / 840);
        }
        return (Math.cos(x) - Math.sin(x) / x) / x;
    }
}
