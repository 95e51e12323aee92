package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.Compiler;
import nnc.codegen.InMemoryJavac;
import nnc.diag.Source;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Time to compile a sample .nn file to Java source, and on to loaded bytecode, with a warm JVM. */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBench {
    @Param({"regression", "toy", "fashion_mlp", "fashion_dropout", "weight_decay", "deep_relu", "dead_units",
        "backprop_by_hand", "xor", "logistic"})
    public String sample;

    private Source source;

    @Setup
    public void setUp() throws Exception {
        source = Samples.source(sample);
    }

    @Benchmark
    public String toSource() {
        return Samples.compile(source).javaSource();
    }

    @Benchmark
    public Class<?> toBytecode() throws InMemoryJavac.CompileException {
        Compiler.Result r = Samples.compile(source);
        return r.load().type();
    }
}
