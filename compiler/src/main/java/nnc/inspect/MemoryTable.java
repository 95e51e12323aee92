package nnc.inspect;

import java.util.Locale;
import nnc.codegen.MemoryPlan;
import nnc.codegen.Precision;

/** {@code nnc compile --stats}: the arrays a generated class allocates, planned against one per value. */
public final class MemoryTable {
    private MemoryTable() {}

    public static String render(MemoryPlan plan, String className, int maxBatch, Precision precision, boolean vector) {
        TextTable t = new TextTable("arrays of " + className, ">count", ">bytes", ">one per value", ">bytes ");
        for (MemoryPlan.Role role : MemoryPlan.Role.values()) {
            long[] planned = plan.planned(role);
            long[] naive = plan.unplanned(role);
            if (naive[0] == 0) {
                continue;
            }
            t.row(role.description(), number(planned[0]), number(planned[1]), number(naive[0]), number(naive[1]));
        }
        long bytes = plan.bytes();
        long unplanned = plan.unplannedBytes();
        t.row("total", "", number(bytes), "", number(unplanned));
        String saved = unplanned == 0 ? "0" : String.format(Locale.ROOT, "%.0f", 100.0 * (unplanned - bytes) / unplanned);
        return t + "for batches of up to " + maxBatch + " in " + precision.name().toLowerCase(Locale.ROOT) + (vector ? ", SIMD code" : ", scalar code")
                + ": " + saved + "% less than one array per value (values dead before another is written share its array)\n";
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
