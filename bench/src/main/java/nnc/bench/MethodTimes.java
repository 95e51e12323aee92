package nnc.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nnc.runtime.Model;
import nnc.runtime.Sgd;

/**
 * Where a generated training step's time goes: after some seconds of steps (so that C2 has compiled
 * everything), each node's method ({@code compute_<value>(int n)}) is called alone many times at the
 * sample's batch and timed in the thread's CPU time, largest first, then the whole step. A split
 * product's other threads are not counted: run with {@code -Dnnc.threads=1} for one core's figures.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dnnc.threads=1 -Dnnc.samples=samples/src/main/nn \
 *      -cp bench/target/benchmarks.jar nnc.bench.MethodTimes fashion_cnn [seconds of warm-up] [calls]
 * </pre>
 *
 * <p>With a fourth argument {@code cold}, the caches are flushed (16 MiB read) before each timed
 * call, and the flush is not timed: each method then starts as it may in a step whose arrays do not
 * fit in L2.
 *
 * <p>The per-sample methods of the convolutions ({@code _windows}, {@code _pad}, {@code _product},
 * {@code _col2im}) are counted inside their node's method. A node's method alone runs on warm
 * caches, so the sum can be below the step.
 */
public final class MethodTimes {
    private MethodTimes() {}

    /** Keeps the flushes' reads from being optimised away. */
    static float sink;

    /** Reads every cache line of {@code a}, and writes one, so that what a method reads next is in no cache. */
    private static float flush(float[] a) {
        float sum = 0;
        for (int i = 0; i < a.length; i += 16) {
            sum += a[i];
        }
        a[(int) (sum) & 15] = sum;
        return sum;
    }

    public static void main(String[] args) throws Throwable {
        String sample = args.length > 0 ? args[0] : "fashion_cnn";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        boolean cold = args.length > 3 && args[3].equals("cold");
        float[] flush = new float[cold ? 4 << 20 : 0];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Model m = Samples.model(sample, "generated");
        Sgd sgd = new Sgd(1e-6);
        int n = m.maxBatch();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            m.trainStep(n);
            sgd.step(m.parameters());
        }
        List<MethodHandle> handles = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Method method : m.getClass().getDeclaredMethods()) {
            String name = method.getName();
            if (name.startsWith("compute_") && method.getParameterCount() == 1 && !name.endsWith("_part")
                    && !name.matches(".*_(windows|pad|product|col2im)(_[0-9]+)?")) {
                method.setAccessible(true);
                handles.add(MethodHandles.lookup().unreflect(method).bindTo(m));
                names.add(name);
            }
        }
        // The best of two rounds, each method warmed by as many calls as it is timed for.
        Map<String, Double> micros = new TreeMap<>();
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < handles.size(); k++) {
                MethodHandle h = handles.get(k);
                for (int i = 0; i < calls; i++) {
                    h.invoke(n);
                }
                long time = 0;
                for (int i = 0; i < calls; i++) {
                    if (cold) {
                        sink += flush(flush);
                    }
                    long start = cpu.getCurrentThreadCpuTime();
                    h.invoke(n);
                    time += cpu.getCurrentThreadCpuTime() - start;
                }
                micros.merge(names.get(k), time / 1e3 / calls, Math::min);
            }
        }
        double total = micros.values().stream().mapToDouble(Double::doubleValue).sum();
        micros.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> System.out.printf("%10.1f us  %5.1f%%  %s%n", e.getValue(), 100 * e.getValue() / total, e.getKey()));
        System.out.printf("%10.1f us  total of the methods%n", total);
        int steps = Math.max(10, calls * 5);
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < steps; i++) {
            m.trainStep(n);
            sgd.step(m.parameters());
        }
        System.out.printf("%10.1f us  a training step and an SGD update, batch %d%n",
                (cpu.getCurrentThreadCpuTime() - start) / 1e3 / steps, n);
    }
}
