package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;

/** Models compiled to SIMD classes for batches of up to 4, as the kernel tests compare them with the interpreter. */
final class SimdClasses {
    private SimdClasses() {}

    static Compiler.Result compile(String file, String model, Precision p) {
        Reporter reporter = new Reporter(null);
        Compiler.Result r = Compiler.compile(new Source(file, model),
                Compiler.Options.defaults().withMaxBatch(4).withPrecision(p).withVector(true), reporter);
        assertTrue(r != null, () -> reporter.diagnostics().toString());
        return r;
    }
}
