package nnc.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A team of threads, one per core besides the caller's, that run the parts of one task together:
 * generated code splits a large matrix product's rows among them. The team is created once per
 * JVM, on first use; running a task allocates nothing (the task is an object the model created
 * once, the threads wait by spinning briefly and then parking). Tasks run one at a time.
 */
public final class Workers {
    /** Work split into parts: part {@code part} of {@code parts}, each run by one thread. */
    public interface Task {
        void run(int part, int parts);
    }

    private static final Object LOCK = new Object();
    private static volatile Workers shared;

    /**
     * How long a waiting thread spins before it parks. Waking a parked thread took 20-80 us on a
     * 2-core VM, a few percent of a Fashion-MNIST step per product; the serial work between the
     * products of a training step (the small layers, the optimiser, the next batch) takes 0.2-0.3 ms,
     * so spinning 1 ms keeps the team awake through a whole training loop and parks it soon after.
     */
    private static final long SPIN_NANOS = 1_000_000;

    private final Thread[] threads;
    private volatile Task task;
    private volatile int generation;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Thread caller;

    private Workers(int helpers) {
        threads = new Thread[helpers];
        for (int i = 0; i < helpers; i++) {
            int part = i + 1;
            Thread t = new Thread(() -> loop(part), "nnc-worker-" + part);
            t.setDaemon(true);
            threads[i] = t;
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /**
     * The JVM's team: as many parts as available processors, or as the system property
     * {@code nnc.threads} says when the team is first used ({@code -Dnnc.threads=1}: no threads).
     */
    public static Workers shared() {
        Workers w = shared;
        if (w == null) {
            synchronized (LOCK) {
                w = shared;
                if (w == null) {
                    int threads = Integer.getInteger("nnc.threads", Runtime.getRuntime().availableProcessors());
                    w = new Workers(Math.max(0, threads - 1));
                    shared = w;
                }
            }
        }
        return w;
    }

    /** How many parts a task is split into: the helpers and the caller. */
    public int parts() {
        return threads.length + 1;
    }

    /**
     * Runs {@code t}'s parts, part 0 on the calling thread, and returns when all are done. A
     * failure in a part is rethrown here.
     */
    public synchronized void run(Task t) {
        if (threads.length == 0) {
            t.run(0, 1);
            return;
        }
        caller = Thread.currentThread();
        remaining.set(threads.length);
        task = t;
        generation++;
        for (Thread thread : threads) {
            LockSupport.unpark(thread);
        }
        try {
            t.run(0, parts());
        } finally {
            long parkAt = System.nanoTime() + SPIN_NANOS;
            while (remaining.get() > 0) {
                if (System.nanoTime() < parkAt) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            task = null;
        }
        RuntimeException failure = this.failure;
        if (failure != null) {
            this.failure = null;
            throw failure;
        }
    }

    private volatile RuntimeException failure;

    private void loop(int part) {
        int seen = 0;
        while (true) {
            long parkAt = System.nanoTime() + SPIN_NANOS;
            while (generation == seen) {
                if (System.nanoTime() < parkAt) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = generation;
            Task t = task;
            try {
                t.run(part, parts());
            } catch (RuntimeException | Error e) {
                failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            } finally {
                if (remaining.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }
}
