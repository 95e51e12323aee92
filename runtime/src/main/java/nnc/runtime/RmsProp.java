package nnc.runtime;

/**
 * RMSprop, as PyTorch's: {@code g += wd w; v = alpha v + (1 - alpha) g^2}; then
 * {@code b = mu b + g / (sqrt(v) + eps); w -= lr b} with momentum, or {@code w -= lr g / (sqrt(v) + eps)}.
 */
public final class RmsProp extends StatefulOptimizer {
    private final double alpha;
    private final double eps;
    private final double momentum;
    private final double weightDecay;

    public RmsProp(double lr, double alpha, double eps, double momentum, double weightDecay) {
        super(lr, 2);
        this.alpha = alpha;
        this.eps = eps;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    protected double update(double[][] st, int i, double w, double g) {
        g += weightDecay * w;
        double v = alpha * st[0][i] + (1 - alpha) * g * g;
        st[0][i] = v;
        double step = g / (Math.sqrt(v) + eps);
        if (momentum != 0) {
            step = momentum * st[1][i] + step;
            st[1][i] = step;
        }
        return w - lr * step;
    }

    @Override
    public String describe() {
        return "rmsprop(lr: " + Numbers.text(lr) + ", alpha: " + Numbers.text(alpha) + ", eps: " + Numbers.text(eps)
                + ", momentum: " + Numbers.text(momentum) + ", weight_decay: " + Numbers.text(weightDecay) + ")";
    }
}
