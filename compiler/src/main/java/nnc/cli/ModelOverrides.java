package nnc.cli;

import java.util.ArrayList;
import java.util.List;
import nnc.Compiler;
import picocli.CommandLine.Option;

/**
 * {@code --set NAME=VALUE} and {@code --init weights=INIT}: a model's consts and default
 * initialisers changed without editing its file. A picocli mixin: a command takes them with
 * {@code @Mixin ModelOverrides overrides;}. The compiler checks them and reports mistakes as
 * {@code --set K=abc: error: ...}.
 */
final class ModelOverrides {
    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "give a const of the file another value, such as "
            + "--set K=50 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--init", paramLabel = "WHICH=INIT", description = "replace the file's default initialiser for "
            + "weights or biases, such as --init 'weights=normal(0, 1)' (repeatable)")
    List<String> inits = new ArrayList<>();

    Compiler.Options apply(Compiler.Options options) {
        return options.withSets(sets).withInits(inits);
    }
}
