package nnc.bench;

import nnc.runtime.Model;
import nnc.runtime.Sgd;

/**
 * Runs a sample's generated training step in a loop for a while, for a profiler to watch:
 *
 * <pre>
 * java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
 *      -XX:StartFlightRecording=filename=step.jfr,settings=profile \
 *      -cp bench/target/benchmarks.jar nnc.bench.Profile regression 20
 * jfr print --events jdk.ExecutionSample step.jfr
 * </pre>
 */
public final class Profile {
    private Profile() {}

    public static void main(String[] args) throws Exception {
        String sample = args.length > 0 ? args[0] : "regression";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        Model m = Samples.model(sample, "generated");
        Sgd sgd = new Sgd(1e-6);
        int n = m.maxBatch();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long steps = 0;
        double sum = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                sum += m.trainStep(n);
                sgd.step(m.parameters());
            }
            steps += 100;
        }
        System.out.printf("%d steps of %s at batch %d in %.1f s (loss sum %.3f)%n", steps, sample, n, seconds, sum);
    }
}
