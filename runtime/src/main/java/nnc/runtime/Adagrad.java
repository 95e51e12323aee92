package nnc.runtime;

/** Adagrad, as PyTorch's: {@code g += wd w; s += g^2; w -= lr g / (sqrt(s) + eps)}. */
public final class Adagrad extends StatefulOptimizer {
    private final double eps;
    private final double weightDecay;

    public Adagrad(double lr, double eps, double weightDecay) {
        super(lr, 1);
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    protected double update(double[][] st, int i, double w, double g) {
        g += weightDecay * w;
        double s = st[0][i] + g * g;
        st[0][i] = s;
        return w - lr * g / (Math.sqrt(s) + eps);
    }

    @Override
    public String describe() {
        return "adagrad(lr: " + Numbers.text(lr) + ", eps: " + Numbers.text(eps) + ", weight_decay: " + Numbers.text(weightDecay) + ")";
    }
}
