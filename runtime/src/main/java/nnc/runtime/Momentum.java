package nnc.runtime;

/**
 * SGD with momentum, Nesterov momentum and L2 weight decay, as PyTorch's SGD:
 * {@code g += wd w; b = mu b + (1 - dampening) g} (b = g on the first step);
 * {@code g = g + mu b} (Nesterov) or {@code g = b}; {@code w -= lr g}.
 */
final class Momentum extends StatefulOptimizer {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    Momentum(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        super(lr, 1);
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    protected double update(double[][] st, int i, double w, double g) {
        g += weightDecay * w;
        if (momentum != 0) {
            double b = steps == 1 ? g : momentum * st[0][i] + (1 - dampening) * g;
            st[0][i] = b;
            g = nesterov ? g + momentum * b : b;
        }
        return w - lr * g;
    }

    @Override
    public String describe() {
        return "sgd(lr: " + Numbers.text(lr) + ", momentum: " + Numbers.text(momentum) + ", dampening: "
                + Numbers.text(dampening) + ", nesterov: " + nesterov + ", weight_decay: " + Numbers.text(weightDecay) + ")";
    }
}
