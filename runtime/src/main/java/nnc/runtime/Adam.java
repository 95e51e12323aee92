package nnc.runtime;

/**
 * Adam and AdamW, as PyTorch's: {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}. Adam adds weight decay to the gradient
 * (L2); AdamW decouples it: {@code w -= lr wd w} before the update.
 */
public final class Adam extends StatefulOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private double correction1;
    private double correction2;

    public Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(lr, 2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected void beginStep() {
        correction1 = 1 - Math.pow(beta1, steps);
        correction2 = 1 - Math.pow(beta2, steps);
    }

    /** Whether the JVM has the Vector API, for {@link AdamLanes} (which cannot be loaded without it). */
    private static final boolean LANES = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @Override
    protected void updateFloats(double[][] st, float[] w, float[] g, int from, int to) {
        int rest = LANES ? AdamLanes.update(st[0], st[1], w, g, from, to, lr, beta1, beta2, eps, weightDecay, decoupled,
                correction1, correction2) : from;
        super.updateFloats(st, w, g, rest, to);
    }

    @Override
    protected double update(double[][] st, int i, double w, double g) {
        if (decoupled) {
            w -= lr * weightDecay * w;
        } else {
            g += weightDecay * w;
        }
        double m = beta1 * st[0][i] + (1 - beta1) * g;
        double v = beta2 * st[1][i] + (1 - beta2) * g * g;
        st[0][i] = m;
        st[1][i] = v;
        return w - lr * (m / correction1) / (Math.sqrt(v / correction2) + eps);
    }

    @Override
    public String describe() {
        return (decoupled ? "adamw" : "adam") + "(lr: " + Numbers.text(lr) + ", beta1: " + Numbers.text(beta1) + ", beta2: "
                + Numbers.text(beta2) + ", eps: " + Numbers.text(eps) + ", weight_decay: " + Numbers.text(weightDecay) + ")";
    }
}
