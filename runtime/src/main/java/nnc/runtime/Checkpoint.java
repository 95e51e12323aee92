package nnc.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.data.Batches;

/**
 * A model's trained state in a file: its parameters, its {@linkplain Model#buffers() buffers} and
 * its random generator, with a fingerprint of the model (name, precision, every parameter's and
 * buffer's name and shape); optionally the optimiser's state (learning rate, step count, moment
 * buffers); and when a {@link Trainer} saved it, the training run's progress (epochs done, the
 * shuffling generator and the current order of the samples), so that training resumes exactly.
 *
 * <pre>{@code
 * Checkpoint.save(Path.of("run.ckpt"), model, optimizer);  // optimizer may be null: weights only
 * Checkpoint.load(Path.of("run.ckpt"), model, optimizer);  // fails if saved for another model
 * }</pre>
 *
 * <p>Files are written atomically ({@link AtomicFiles}); the format is {@link CheckpointFormat}'s.
 * Every failure is a {@link CheckpointException} whose message names the file and the reason.
 */
public final class Checkpoint {
    private static final String NAME = "model.name";
    private static final String PRECISION = "model.precision";
    private static final String PARAMETER = "parameter:";
    private static final String BUFFER = "buffer:";
    private static final String RANDOM = "model.random";
    private static final String OPTIMIZER = "optimizer";
    private static final String LEARNING_RATE = "optimizer.lr";
    private static final String STEPS = "optimizer.steps";
    private static final String MOMENTS = "optimizer.state:";
    private static final String EPOCH = "trainer.epoch";
    private static final String SHUFFLE_RANDOM = "trainer.shuffle.random";
    private static final String ORDER = "trainer.shuffle.order";
    private static final String SCHEDULE = "trainer.schedule";
    private static final String SCHEDULE_BASE = "trainer.schedule.base";

    /** Names the checkpoint in messages: its file, or {@code checkpoint} before it has one. */
    private final String source;
    private final Map<String, Object> entries;

    private Checkpoint(String source, Map<String, Object> entries) {
        this.source = source;
        this.entries = entries;
    }

    /** The state of {@code model} and, unless null, {@code optimizer}, copied now. */
    public static Checkpoint of(Model model, Optimizer optimizer) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put(NAME, model.name());
        e.put(PRECISION, precision(model));
        for (Parameter p : model.parameters()) {
            e.put(PARAMETER + p.name(), copy(p.value()));
        }
        for (Tensor t : model.buffers()) {
            e.put(BUFFER + t.name(), copy(t));
        }
        long[] random = model.randomState();
        if (random != null) {
            e.put(RANDOM, new CheckpointFormat.Array(new int[] {random.length}, random.clone()));
        }
        if (optimizer != null) {
            e.put(OPTIMIZER, optimizer.describe());
            e.put(LEARNING_RATE, optimizer.learningRate());
            if (optimizer instanceof StatefulOptimizer s) {
                e.put(STEPS, s.steps());
                double[][][] state = s.state();
                List<Parameter> params = model.parameters();
                for (int k = 0; state != null && k < params.size(); k++) {
                    int size = params.get(k).size();
                    double[] flat = new double[s.slots() * size];
                    for (int slot = 0; slot < s.slots(); slot++) {
                        System.arraycopy(state[k][slot], 0, flat, slot * size, size);
                    }
                    e.put(MOMENTS + params.get(k).name(), new CheckpointFormat.Array(new int[] {s.slots(), size}, flat));
                }
            }
        }
        return new Checkpoint("checkpoint", e);
    }

    /** Writes the state of {@code model} and, unless null, {@code optimizer} to {@code file}, atomically. */
    public static void save(Path file, Model model, Optimizer optimizer) {
        of(model, optimizer).write(file);
    }

    /**
     * Reads {@code file} and restores {@code model} and, unless null, {@code optimizer} from it.
     *
     * @throws CheckpointException if the file is missing, is not a checkpoint, is damaged, or was
     *     saved for another model or optimiser
     */
    public static Checkpoint load(Path file, Model model, Optimizer optimizer) {
        Checkpoint c = read(file);
        c.restore(model);
        if (optimizer != null) {
            c.restore(optimizer, model);
        }
        return c;
    }

    /** Reads a checkpoint file, checking that it is one and is whole. */
    public static Checkpoint read(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new CheckpointException(ErrorCode.E601, source, "is a folder, not a checkpoint");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(ErrorCode.E601, source, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(ErrorCode.E601, source, "cannot read it: " + e.getMessage());
        }
        return new Checkpoint(source, CheckpointFormat.decode(source, bytes));
    }

    /** Writes this checkpoint to {@code file}, atomically: readers see the old file or the new one. */
    public void write(Path file) {
        try {
            AtomicFiles.write(file, CheckpointFormat.encode(entries));
        } catch (IOException e) {
            throw new CheckpointException(ErrorCode.E601, file.toString(), "cannot write it: " + e.getMessage());
        }
    }

    /** The name of the model it was saved for. */
    public String modelName() {
        return required(NAME, String.class);
    }

    /** The precision of the model it was saved for: true for double, false for float. */
    public boolean isDouble() {
        return required(PRECISION, String.class).equals("double");
    }

    /** The optimiser it was saved with ({@code adam(lr: 0.001, ...)}), or null if saved without one. */
    public String optimizer() {
        return optional(OPTIMIZER, String.class);
    }

    /** Epochs of training done when a {@link Trainer} saved it; 0 if it was saved outside a training run. */
    public int epoch() {
        Long epoch = optional(EPOCH, Long.class);
        return epoch == null ? 0 : epoch.intValue();
    }

    /**
     * Copies the saved parameters, buffers and random state into {@code model}, after checking that
     * it was saved for this model: same name, precision, and parameter and buffer names and shapes in
     * the same order. A model without a random generator ignores a saved one; a model with one keeps
     * its own if none was saved.
     */
    public void restore(Model model) {
        String name = modelName();
        if (!name.equals(model.name())) {
            throw mismatch(ErrorCode.E603, "saved for model " + name + ", but this model is " + model.name());
        }
        String precision = required(PRECISION, String.class);
        if (!precision.equals(precision(model))) {
            throw mismatch(ErrorCode.E603, "saved for model " + name + " in " + precision + " precision, but this model computes in " + precision(model));
        }
        List<String> paramNames = new ArrayList<>();
        List<Tensor> params = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            paramNames.add(p.name());
            params.add(p.value());
        }
        List<String> bufferNames = new ArrayList<>();
        for (Tensor t : model.buffers()) {
            bufferNames.add(t.name());
        }
        checkSameTensors(name, "parameter", PARAMETER, paramNames, params);
        checkSameTensors(name, "buffer", BUFFER, bufferNames, model.buffers());
        for (int k = 0; k < params.size(); k++) {
            copyInto(PARAMETER + paramNames.get(k), params.get(k));
        }
        for (Tensor t : model.buffers()) {
            copyInto(BUFFER + t.name(), t);
        }
        long[] random = optionalArray(RANDOM, long[].class);
        if (random != null && model.randomState() != null) {
            if (random.length != model.randomState().length) {
                throw malformed("its random state has " + random.length + " words, the model's " + model.randomState().length);
            }
            model.restoreRandomState(random);
        }
    }

    /**
     * Sets {@code optimizer}'s learning rate, step count and moment buffers to the saved ones, after
     * checking that it was saved with the same optimiser and settings (the learning rate aside, which
     * a schedule changes as training goes).
     */
    public void restore(Optimizer optimizer, Model model) {
        String saved = optional(OPTIMIZER, String.class);
        if (saved == null) {
            throw mismatch(ErrorCode.E604, "saved without an optimiser's state, so training cannot resume from it");
        }
        double lr = required(LEARNING_RATE, Double.class);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw malformed("its learning rate is " + lr);
        }
        optimizer.setLearningRate(lr);
        if (!saved.equals(optimizer.describe())) {
            throw mismatch(ErrorCode.E604, "saved with optimiser " + saved + ", but this run uses " + optimizer.describe());
        }
        if (!(optimizer instanceof StatefulOptimizer s)) {
            return;
        }
        long steps = required(STEPS, Long.class);
        List<Parameter> params = model.parameters();
        if (params.isEmpty() || !entries.containsKey(MOMENTS + params.get(0).name())) {
            s.restore(steps, null); // saved before the first step: the state is allocated then
            return;
        }
        double[][][] state = new double[params.size()][s.slots()][];
        for (int k = 0; k < params.size(); k++) {
            Parameter p = params.get(k);
            String key = MOMENTS + p.name();
            CheckpointFormat.Array a = required(key, CheckpointFormat.Array.class);
            if (!(a.data() instanceof double[] flat) || !Arrays.equals(a.shape(), new int[] {s.slots(), p.size()})) {
                throw malformed("entry " + key + " is not " + s.slots() + " x " + p.size() + " doubles");
            }
            for (int slot = 0; slot < s.slots(); slot++) {
                state[k][slot] = Arrays.copyOfRange(flat, slot * p.size(), (slot + 1) * p.size());
            }
        }
        s.restore(steps, state);
    }

    /** Records a training run's progress: epochs done, the shuffling generator, the samples' order. */
    void putTraining(int epoch, Rng shuffle, Batches batches) {
        entries.put(EPOCH, (long) epoch);
        long[] random = shuffle.saveState();
        entries.put(SHUFFLE_RANDOM, new CheckpointFormat.Array(new int[] {random.length}, random));
        int[] order = batches.order();
        entries.put(ORDER, new CheckpointFormat.Array(new int[] {order.length}, order));
    }

    /** Records the learning-rate schedule and its base rate, if there is one: its position is the epoch. */
    void putSchedule(Schedule schedule, double base) {
        if (schedule != null) {
            entries.put(SCHEDULE, schedule.describe());
            entries.put(SCHEDULE_BASE, base);
        }
    }

    /** Fails unless the run resumes with the schedule and base rate it was saved with (or, like it, none). */
    void checkSchedule(Schedule schedule, double base) {
        String saved = optional(SCHEDULE, String.class);
        Double savedBase = optional(SCHEDULE_BASE, Double.class);
        String now = schedule == null ? null : schedule.describe();
        if (saved == null && now == null || saved != null && saved.equals(now) && savedBase != null && savedBase == base) {
            return;
        }
        throw mismatch(ErrorCode.E604, "saved " + (saved == null ? "without a learning-rate schedule" : "with schedule " + saved + " from rate "
                + Numbers.text(savedBase == null ? Double.NaN : savedBase)) + ", but this run "
                + (now == null ? "has none" : "uses " + now + " from rate " + Numbers.text(base)));
    }

    /** Restores what {@link #putTraining} recorded; returns the epochs done. */
    int restoreTraining(Rng shuffle, Batches batches, int samples) {
        Long epoch = optional(EPOCH, Long.class);
        if (epoch == null) {
            throw mismatch(ErrorCode.E604, "saved outside a training run: it holds no epoch to resume from");
        }
        int[] order = optionalArray(ORDER, int[].class);
        long[] random = optionalArray(SHUFFLE_RANDOM, long[].class);
        if (order == null || random == null) {
            throw malformed("it holds an epoch but not the shuffling state");
        }
        if (order.length != samples) {
            throw mismatch(ErrorCode.E604, "saved while training on " + order.length + " samples, but this run's training data has " + samples);
        }
        try {
            batches.restoreOrder(order);
            shuffle.restoreState(random);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        return epoch.intValue();
    }

    /** Fails unless the saved tensors under {@code prefix} have {@code names} and the shapes of {@code tensors}, in order. */
    private void checkSameTensors(String model, String kind, String prefix, List<String> names, List<Tensor> tensors) {
        List<String> saved = new ArrayList<>();
        for (String key : entries.keySet()) {
            if (key.startsWith(prefix)) {
                saved.add(key.substring(prefix.length()));
            }
        }
        for (int i = 0; i < Math.max(saved.size(), names.size()); i++) {
            String s = i < saved.size() ? saved.get(i) : null;
            String t = i < names.size() ? names.get(i) : null;
            int[] savedShape = s == null ? null : required(prefix + s, CheckpointFormat.Array.class).shape();
            String shape = t == null ? null : Arrays.toString(tensors.get(i).shape());
            if (s != null && s.equals(t) && Arrays.equals(savedShape, tensors.get(i).shape())) {
                continue;
            }
            String savedText = s == null ? null : s + " " + Arrays.toString(savedShape);
            if (s != null && s.equals(t)) {
                throw mismatch(ErrorCode.E603, "saved for model " + model + " with " + savedText + ", but this model has " + t + " " + shape);
            }
            if (s != null && !names.contains(s)) {
                throw mismatch(ErrorCode.E603, "saved for model " + model + " with " + kind + " " + savedText + ", but this model has no " + kind + " " + s);
            }
            if (t != null && !saved.contains(t)) {
                throw mismatch(ErrorCode.E603, "saved for model " + model + " without " + kind + " " + t + " " + shape + ", which this model has");
            }
            throw mismatch(ErrorCode.E603, "saved for model " + model + " with " + kind + " " + s + " in place " + (i + 1) + ", but this model has " + t + " there");
        }
    }

    private void copyInto(String key, Tensor t) {
        Object data = required(key, CheckpointFormat.Array.class).data();
        if (t.isDouble() && data instanceof double[] d && d.length == t.length()) {
            System.arraycopy(d, 0, t.doubles(), 0, d.length);
        } else if (!t.isDouble() && data instanceof float[] f && f.length == t.length()) {
            System.arraycopy(f, 0, t.floats(), 0, f.length);
        } else {
            throw malformed("entry " + key + " does not hold " + t.length() + " " + (t.isDouble() ? "doubles" : "floats"));
        }
    }

    private static CheckpointFormat.Array copy(Tensor t) {
        return new CheckpointFormat.Array(t.shape(), t.isDouble() ? t.doubles().clone() : t.floats().clone());
    }

    private static String precision(Model model) {
        return model.isDouble() ? "double" : "float";
    }

    private <T> T optional(String key, Class<T> type) {
        Object v = entries.get(key);
        if (v != null && !type.isInstance(v)) {
            throw malformed("entry " + key + " is not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    private <T> T required(String key, Class<T> type) {
        T v = optional(key, type);
        if (v == null) {
            throw malformed("it has no entry " + key);
        }
        return v;
    }

    private <T> T optionalArray(String key, Class<T> type) {
        CheckpointFormat.Array a = optional(key, CheckpointFormat.Array.class);
        if (a == null) {
            return null;
        }
        if (!type.isInstance(a.data())) {
            throw malformed("entry " + key + " is not an array of " + type.getComponentType());
        }
        return type.cast(a.data());
    }

    /** E603 if it was saved for another model, E604 if it cannot resume this run. */
    private CheckpointException mismatch(ErrorCode code, String reason) {
        return new CheckpointException(code, source, reason);
    }

    /** Passed the checksum, so written whole, but not by this version's writer. */
    private CheckpointException malformed(String reason) {
        return new CheckpointException(ErrorCode.E602, source, "malformed checkpoint: " + reason);
    }
}
