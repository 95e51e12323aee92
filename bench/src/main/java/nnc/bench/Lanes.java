package nnc.bench;

/** Prints the lanes of the JVM's preferred float vector, for bench/run's GFLOP/s arithmetic. */
public final class Lanes {
    private Lanes() {}

    public static void main(String[] args) {
        System.out.println(PeakBench.lanes());
    }
}
