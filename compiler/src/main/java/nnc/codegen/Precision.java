package nnc.codegen;

/** The number type of generated code: literals, casts and maths calls for float or double. */
public enum Precision {
    FLOAT,
    DOUBLE;

    String type() {
        return this == FLOAT ? "float" : "double";
    }

    /** The boxed type, the Vector API's element type: {@code Float}, {@code Double}. */
    com.palantir.javapoet.ClassName boxed() {
        return com.palantir.javapoet.ClassName.get(this == FLOAT ? Float.class : Double.class);
    }

    /** A literal of this type: {@code 0.5f}, {@code 0.5}. */
    String literal(double v) {
        if (this == FLOAT) {
            float f = (float) v;
            if (Float.isNaN(f)) {
                return "Float.NaN";
            } else if (Float.isInfinite(f)) {
                return f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
            }
            return f == Math.rint(f) && Math.abs(f) < 1e7 ? (long) f + "f" : Float.toString(f) + "f";
        }
        return doubleLiteral(v);
    }

    /** A double literal, for arguments of {@code Math} methods. */
    String doubleLiteral(double v) {
        if (Double.isNaN(v)) {
            return "Double.NaN";
        } else if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (long) v + ".0" : Double.toString(v);
    }

    /** {@code Math.f(args)}, cast back to float when needed. */
    String math(String f, String args) {
        return this == FLOAT ? "(float) Math." + f + "(" + args + ")" : "Math." + f + "(" + args + ")";
    }

    /** A double expression converted to this type. */
    String fromDouble(String expr) {
        return this == FLOAT ? "(float) " + expr : expr;
    }
}
