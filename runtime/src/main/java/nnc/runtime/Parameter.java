package nnc.runtime;

/**
 * A trainable parameter: its value, the gradient the training step writes, and how it is
 * initialised. Value and gradient have the same shape and precision.
 *
 * @param name the name the .nn file gives it, such as {@code h1.weight}
 * @param value the parameter's storage, updated in place by optimisers
 * @param grad the gradient of the loss, written by {@link Model#trainStep}
 * @param init how {@link Model#initialize} fills it
 * @param fanIn inputs feeding one unit of the layer it belongs to (for scaled initialisers)
 * @param fanOut units one input feeds
 */
public record Parameter(String name, Tensor value, Tensor grad, Init init, int fanIn, int fanOut) {
    public Parameter {
        if (value.length() != grad.length() || value.isDouble() != grad.isDouble()) {
            throw new IllegalArgumentException(name + ": value and gradient differ in size or precision");
        }
    }

    /** Number of scalar parameters. */
    public int size() {
        return value.length();
    }
}
