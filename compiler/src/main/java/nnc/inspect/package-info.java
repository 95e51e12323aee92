/**
 * The course's checks of a model, as the commands {@code nnc params}, {@code nnc gradcheck},
 * {@code nnc diagnose} and {@code nnc graph} print them: the layer table with parameter counts,
 * the finite-difference check of every gradient, activation and gradient statistics at
 * initialisation with dead ReLU units, and the graph as Graphviz DOT. The command classes in
 * {@code nnc.cli} only parse options and call these.
 */
package nnc.inspect;
