package nnc.ir;

import nnc.runtime.MathFunctions;

/**
 * The mathematics of the elementwise ops in double precision: the interpreter and constant
 * folding both use these, so the two cannot disagree. Generated code has its own templates.
 */
public final class Elementwise {
    private Elementwise() {}

    /** {@code op(x)}; {@code attr} is POW's exponent. */
    public static double unary(Op op, double x, double attr) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : 0;
            case STEP -> x > 0 ? 1 : 0;
            case POW -> pow(x, attr);
            case SOFTPLUS -> MathFunctions.softplus(x);
            case ERF -> MathFunctions.erf(x);
            case SINC -> MathFunctions.sinc(x);
            case DSINC -> MathFunctions.sincDerivative(x);
            default -> throw new IllegalArgumentException(op + " is not unary");
        };
    }

    public static double binary(Op op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            default -> throw new IllegalArgumentException(op + " is not binary");
        };
    }

    /** The logistic function, without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** x^c with small integer exponents as multiplications, which is exact and fast. */
    public static double pow(double x, double c) {
        if (c == 1) {
            return x;
        } else if (c == 2) {
            return x * x;
        } else if (c == 3) {
            return x * x * x;
        } else if (c == -1) {
            return 1 / x;
        } else if (c == 0.5) {
            return Math.sqrt(x);
        }
        return Math.pow(x, c);
    }
}
