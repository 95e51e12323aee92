package nnc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.runtime.ErrorCode;
import nnc.runtime.Model;
import nnc.runtime.data.Csv;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Generators;

/** The {@code --data} of the checks: a CSV file or a built-in set's training part. */
final class InspectData {
    private InspectData() {}

    /** The data set; throws {@link DataException} with a one-line message naming the file. */
    static Dataset load(String spec, Model model, long seed) {
        if (spec.startsWith("builtin:")) {
            return Generators.builtin(spec.substring("builtin:".length()), seed).train();
        }
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p)) {
            throw DataException.in(ErrorCode.E501, spec, "no such file");
        }
        return Csv.read(p, Csv.columns(model));
    }
}
