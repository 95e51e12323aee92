package nnc.inspect;

import java.util.Locale;
import nnc.check.CheckedModel;
import nnc.ir.Shape;

/**
 * The course's table of a model's layers (section 1.8): every layer's name, kind, output shape
 * and number of parameters, and the total. The rows are the checked model's
 * ({@link CheckedModel#rows()}), so any layer the language gains appears without a change here.
 */
public final class ParamsTable {
    private ParamsTable() {}

    /** The table as text, ending with the total. */
    public static String format(CheckedModel model) {
        TextTable t = new TextTable("layer", "kind", "output", ">parameters", ">line");
        for (CheckedModel.Row r : model.rows()) {
            t.row(r.name(), r.kind(), shape(r.shape()), count(r.parameterCount()), Integer.toString(r.pos().line()));
        }
        t.row("total", "", "", count(total(model)), "");
        return t.toString();
    }

    /** Every scalar parameter of the model. */
    public static long total(CheckedModel model) {
        long n = 0;
        for (CheckedModel.ParamSpec p : model.params()) {
            n += p.shape().size();
        }
        return n;
    }

    /** {@code [N, 64]}: the batch as N. */
    static String shape(Shape s) {
        return s.toString().replace("[batch", "[N");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
