package nnc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import nnc.ir.Graph;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Origin;
import nnc.ir.Shape;

/**
 * Emits one Java class per model with JavaPoet. Every buffer is a field allocated once; every
 * computed node is a small private method named after the value it computes and commented with
 * the .nn line it comes from; {@code infer}, {@code loss} and {@code trainStep} call them in
 * order. Small methods also keep each one under the JIT's size limit for deep models.
 */
public final class JavaGenerator {
    private static final ClassName MODEL = ClassName.get("nnc.runtime", "Model");
    private static final ClassName TENSOR = ClassName.get("nnc.runtime", "Tensor");
    private static final ClassName PARAMETER = ClassName.get("nnc.runtime", "Parameter");
    private static final ClassName INIT = ClassName.get("nnc.runtime", "Init");
    private static final ClassName LIST = ClassName.get("java.util", "List");

    /**
     * What to generate.
     *
     * @param vector SIMD code with the Vector API (compile and run it with {@code --add-modules
     *     jdk.incubator.vector}), or plain scalar loops
     */
    public record Options(String packageName, String className, Precision precision, int maxBatch, String sourceName,
            boolean vector) {
        public Options {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maximum batch must be at least 1, not " + maxBatch);
            }
        }

        /** Options for SIMD code where this JVM can run it ({@link #vectorAvailable()}), scalar otherwise. */
        public Options(String packageName, String className, Precision precision, int maxBatch, String sourceName) {
            this(packageName, className, precision, maxBatch, sourceName, vectorAvailable());
        }
    }

    /** Whether this JVM resolved jdk.incubator.vector (started with {@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private final Graph graph;
    private final Options options;
    private final Precision precision;
    private final JavaNames names = new JavaNames();
    private final Map<Node, String> buffers = new IdentityHashMap<>();
    private final Map<String, String> gradFields = new HashMap<>();
    private final Set<Node> backward = new HashSet<>();
    private Set<Node> inlined = Set.of();
    /** Products, and bias adds, computed in the loop of an epilogue ({@link Fusion#epilogues}). */
    private Set<Node> absorbed = Set.of();
    /** Whether a product is split among threads. */
    private boolean parallel;

    private JavaGenerator(Graph graph, Options options) {
        this.graph = graph;
        this.options = options;
        this.precision = options.precision();
    }

    /** The class name for a model name: a valid, capitalised Java identifier. */
    public static String className(String modelName) {
        return JavaNames.className(modelName);
    }

    /** The Java source of the model class for a differentiated, optimised graph. */
    public static JavaFile generate(Graph graph, Options options) {
        return new JavaGenerator(graph, options).file();
    }

    private JavaFile file() {
        String className = options.className();
        names.reserve(className, "MAX_BATCH", "SOURCE", "Model", "Tensor", "Parameter", "Init", "List", "Math",
                "Override", "String", "Object", "Float", "Double", "System", "java", "nnc", "parameters", "inputs",
                "targets", "outputs", "infer", "loss", "trainStep", "name", "maxBatch", "isDouble", "initialize",
                "parameter", "parameterCount", "checkBatch", "equals", "hashCode", "toString", "getClass",
                "clone", "finalize", "notify", "notifyAll", "wait");
        names.reserve(Kernels.LOCALS);
        names.reserve(VectorKernels.LOCALS);
        names.reserve(ImageKernels.LOCALS);
        names.reserve(VectorPools.LOCALS);
        names.reserve(ConvolutionKernels.LOCALS);
        names.reserve("buffers", "resetBuffers");

        List<Node> forward = graph.schedule(forwardRoots());
        Set<Node> forwardSet = new HashSet<>(forward);
        for (Node n : graph.nodes()) {
            if (!forwardSet.contains(n)) {
                backward.add(n);
            }
        }
        TypeName array = precision == Precision.FLOAT ? TypeName.get(float[].class) : TypeName.get(double[].class);
        TypeSpec.Builder type = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(MODEL)
                .addJavadoc("Model {@code $L}, compiled by nnc from {@code $L}.\n\n", JavaNames.commentText(graph.name()),
                        JavaNames.commentText(options.sourceName()))
                .addJavadoc("<p>Computes in $L for batches of up to {@link #MAX_BATCH} samples. All storage is\n"
                        + "allocated by the constructor; {@link #infer}, {@link #loss} and {@link #trainStep} allocate nothing.\n",
                        precision.type());
        type.addField(FieldSpec.builder(int.class, "MAX_BATCH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer("$L", options.maxBatch()).build());
        VectorKernels vectors = options.vector() ? new VectorKernels(precision, buffers, options.maxBatch()) : null;
        if (vectors != null) {
            // The links also import the types that the templates name.
            type.addJavadoc("\n<p>SIMD code: {@link $T} and {@link $T} of the Vector API, {@link $T} for exp, sigmoid and\n"
                    + "tanh. Compile and run it with {@code --add-modules jdk.incubator.vector}, or generate scalar\n"
                    + "code instead (nnc's {@code --scalar}).\n", vectors.vectorType(), VectorKernels.OPERATORS,
                    VectorKernels.VECTOR_MATH);
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(VectorKernels.SPECIES_TYPE, precision.boxed()), "SPECIES",
                    Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The machine's preferred vector shape; the JIT folds it into every loop bound.\n")
                    .initializer("$T.SPECIES_PREFERRED", vectors.vectorType()).build());
            type.addField(FieldSpec.builder(int.class, "LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("SPECIES.length()").build());
        }

        // Leaves: parameters (with gradients), inputs, targets.
        for (Node p : graph.params()) {
            String field = names.allocate(p.name());
            buffers.put(p, field);
            type.addField(FieldSpec.builder(array, field, Modifier.PUBLIC, Modifier.FINAL)
                    .addJavadoc("Parameter {@code $L} $L, initialised with {@code $L}$L.\n", JavaNames.commentText(p.name()),
                            p.shape(), p.param().init(), where(p.origin()))
                    .initializer("new $L[$L]", precision.type(), p.shape().size()).build());
        }
        for (Node p : graph.params()) {
            gradFields.put(p.name(), names.allocate(p.name() + "_grad"));
        }
        for (Node st : graph.states()) {
            String field = names.allocate(st.name());
            buffers.put(st, field);
            type.addField(FieldSpec.builder(array, field, Modifier.PUBLIC, Modifier.FINAL)
                    .addJavadoc("State {@code $L} $L, not trained: updated by {@link #trainStep}, read by {@link #infer}$L.\n",
                            JavaNames.commentText(st.name()), st.shape(), where(st.origin()))
                    .initializer("new $L[$L]", precision.type(), st.shape().size()).build());
        }
        for (Node in : leavesIn()) {
            String field = names.allocate(in.name());
            buffers.put(in, field);
            type.addField(FieldSpec.builder(array, field, Modifier.PUBLIC, Modifier.FINAL)
                    .addJavadoc("$L {@code $L} $L$L: write the batch's samples here, one after another.\n",
                            in.op() == Op.INPUT ? "Input" : "Target", JavaNames.commentText(in.name()), in.shape(),
                            where(in.origin()))
                    .initializer("new $L[MAX_BATCH * $L]", precision.type(), in.shape().size()).build());
        }
        for (Node p : graph.params()) {
            Node g = graph.gradients().get(p.name());
            String field = gradFields.get(p.name());
            if (g != null && !g.inputs().isEmpty() && backward.contains(g) && !buffers.containsKey(g)) {
                // Computed straight into the parameter's gradient array; a forward value is copied
                // instead, so that infer and loss cannot overwrite a gradient.
                buffers.put(g, field);
            }
            type.addField(FieldSpec.builder(array, field, Modifier.PUBLIC, Modifier.FINAL)
                    .addJavadoc("Gradient of the loss with respect to {@code $L}, written by {@link #trainStep}.\n",
                            JavaNames.commentText(p.name()))
                    .initializer("new $L[$L]", precision.type(), p.shape().size()).build());
        }

        // Intermediate values: one buffer and one method each.
        Set<Node> outputs = new LinkedHashSet<>(graph.outputs().values());
        Map<Node, String> methods = new IdentityHashMap<>();
        Map<String, String> statementNames = statementNames();
        Fusion.Plan fusion = Fusion.plan(graph, options.vector(), options.maxBatch());
        inlined = fusion.inlined();
        absorbed = fusion.absorbed();
        Kernels kernels = new Kernels(precision, buffers, vectors, inlined, fusion.epilogues(), names::allocate);
        List<Node> valueNodes = new ArrayList<>();
        int[] scratch = {0, 0};
        for (Node n : graph.nodes()) {
            if (n.inputs().isEmpty()) {
                continue;
            }
            if (inlined.contains(n) || absorbed.contains(n)) {
                // Computed in its consumer's loop: a local there, no buffer and no method.
                buffers.put(n, names.allocate(suggestName(n, statementNames)));
                continue;
            }
            int[] needs = kernels.scratch(n);
            scratch[0] = Math.max(scratch[0], needs[0]);
            scratch[1] = Math.max(scratch[1], needs[1]);
            String name = buffers.get(n);
            if (name == null) {
                name = names.allocate(suggestName(n, statementNames));
                buffers.put(n, name);
                valueNodes.add(n);
            }
            String method = names.allocate("compute_" + name);
            methods.put(n, method);
            if (vectors != null && n.op() == Op.MATMUL && vectors.parallel(n)) {
                // Large: its rows are split among the threads of nnc.runtime.Workers, one task object made once.
                String task = names.allocate(name + "_parts");
                String part = names.allocate("compute_" + name + "_part");
                type.addMethod(MethodSpec.methodBuilder(method).addModifiers(Modifier.PRIVATE).addParameter(int.class, "n")
                        .addCode(comment(n))
                        .addCode(vectors.transposition(n))
                        .addStatement("parallelBatch = n")
                        .addStatement("$T.shared().run($L)", VectorKernels.WORKERS, task).build());
                type.addMethod(MethodSpec.methodBuilder(part).addModifiers(Modifier.PRIVATE).addParameter(int.class, "n")
                        .addParameter(int.class, "part").addParameter(int.class, "parts")
                        .addCode(kernels.compute(n)).build());
                type.addField(FieldSpec.builder(VectorKernels.WORKERS.nestedClass("Task"), task, Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("(part, parts) -> $L(this.parallelBatch, part, parts)", part).build());
                parallel = true;
                continue;
            }
            type.addMethod(MethodSpec.methodBuilder(method)
                    .addModifiers(Modifier.PRIVATE)
                    .addParameter(int.class, "n")
                    .addCode(comment(n))
                    .addCode(kernels.compute(n))
                    .build());
            kernels.takeHelpers().forEach(type::addMethod);
            kernels.takeFields().forEach(type::addField);
        }

        valueFields(type, array, valueNodes, outputs, fusion);

        if (parallel) {
            type.addField(FieldSpec.builder(int.class, "parallelBatch", Modifier.PRIVATE)
                    .addJavadoc("The batch of the split product being computed, for the threads' parts.\n").build());
        }
        if (vectors != null && vectors.usesPanels()) {
            type.addField(FieldSpec.builder(ArrayTypeName.of(array), "panels", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Slices of products' right operands copied contiguously, one panel per thread.\n")
                    .initializer(vectors.panels()).build());
        }
        if (vectors != null && vectors.scratchSize() > 0) {
            type.addField(FieldSpec.builder(array, "transposed", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Scratch for the right operand of a product with it transposed, laid out as its transpose.\n")
                    .initializer("new $L[$L]", precision.type(), vectors.scratchSize()).build());
        }

        // Lists of tensors for the runtime, built once.
        ParameterizedTypeName paramList = ParameterizedTypeName.get(LIST, PARAMETER);
        ParameterizedTypeName tensorList = ParameterizedTypeName.get(LIST, TENSOR);
        type.addField(paramList, "parameters", Modifier.PRIVATE, Modifier.FINAL);
        type.addField(tensorList, "inputs", Modifier.PRIVATE, Modifier.FINAL);
        type.addField(tensorList, "targets", Modifier.PRIVATE, Modifier.FINAL);
        type.addField(tensorList, "outputs", Modifier.PRIVATE, Modifier.FINAL);
        String[] scratchNames = {ImageKernels.SCRATCH, ImageKernels.SCRATCH2};
        for (int i = 0; i < 2; i++) {
            if (scratch[i] > 0) {
                type.addField(FieldSpec.builder(array, scratchNames[i], Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("Scratch space of the convolutions, for one sample at a time.\n")
                        .initializer("new $L[$L]", precision.type(), scratch[i]).build());
            }
        }
        boolean states = !graph.states().isEmpty();
        if (states) {
            type.addField(tensorList, "buffers", Modifier.PRIVATE, Modifier.FINAL);
            type.addMethod(getter(tensorList, "buffers", CodeBlock.of("return buffers")));
            MethodSpec.Builder reset = MethodSpec.methodBuilder("resetBuffers").addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Sets the running statistics to where they start: means 0, variances 1.\n");
            for (Node st : graph.states()) {
                reset.addStatement("$T.fill($L, $L)", java.util.Arrays.class, buffers.get(st), precision.literal(st.value()));
            }
            type.addMethod(reset.build());
        }
        type.addMethod(constructor());

        boolean dropout = graph.nodes().stream().anyMatch(node -> node.op() == Op.MASK);
        boolean modes = dropout || graph.nodes().stream().anyMatch(node -> node.op() == Op.RUNNING);
        if (modes) {
            type.addField(FieldSpec.builder(boolean.class, "training", Modifier.PRIVATE)
                    .addJavadoc("True inside {@link #trainStep}: dropout and batch statistics are used only then.\n").build());
        }
        if (dropout) {
            ClassName rng = ClassName.get("nnc.runtime", "Rng");
            type.addField(FieldSpec.builder(rng, "dropout", Modifier.PRIVATE)
                    .addJavadoc("Draws the dropout masks; seeded by {@link #initialize(long)}.\n")
                    .initializer("$T.forStream(0, $S)", rng, "dropout").build());
            MethodSpec.Builder init = MethodSpec.methodBuilder("initialize").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).addParameter(long.class, "seed")
                    .addJavadoc("Initialises the parameters$L and seeds the dropout masks.\n", states ? ", resets the running statistics" : "")
                    .addStatement("$T.super.initialize(seed)", MODEL)
                    .addStatement("dropout = $T.forStream(seed, $S)", rng, "dropout");
            if (states) {
                init.addStatement("resetBuffers()");
            }
            type.addMethod(init.build());
            // Checkpoints carry the generator's state, so that resumed training draws the same masks.
            type.addMethod(MethodSpec.methodBuilder("randomState").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(long[].class)
                    .addStatement("return dropout.saveState()").build());
            type.addMethod(MethodSpec.methodBuilder("restoreRandomState").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).addParameter(long[].class, "state")
                    .addStatement("dropout.restoreState(state)").build());
        }
        if (states && !dropout) {
            type.addMethod(MethodSpec.methodBuilder("initialize").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).addParameter(long.class, "seed")
                    .addJavadoc("Initialises the parameters and resets the running statistics.\n")
                    .addStatement("$T.super.initialize(seed)", MODEL)
                    .addStatement("resetBuffers()").build());
        }
        int classes = classes();
        if (classes > 0) {
            type.addMethod(MethodSpec.methodBuilder("classes").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(int.class)
                    .addJavadoc("A classifier: output {@code $L} scores $L classes, target {@code $L} holds class indices.\n",
                            JavaNames.commentText(graph.outputs().keySet().iterator().next()), classes,
                            JavaNames.commentText(graph.targets().get(0).name()))
                    .addStatement("return $L", classes).build());
        }
        type.addMethod(getter(String.class, "name", CodeBlock.of("return $L", JavaNames.stringLiteral(graph.name()))));
        type.addMethod(getter(int.class, "maxBatch", CodeBlock.of("return MAX_BATCH")));
        type.addMethod(getter(boolean.class, "isDouble", CodeBlock.of("return $L", precision == Precision.DOUBLE)));
        type.addMethod(getter(paramList, "parameters", CodeBlock.of("return parameters")));
        type.addMethod(getter(tensorList, "inputs", CodeBlock.of("return inputs")));
        type.addMethod(getter(tensorList, "targets", CodeBlock.of("return targets")));
        type.addMethod(getter(tensorList, "outputs", CodeBlock.of("return outputs")));

        type.addMethod(entry("infer", TypeName.VOID, forwardOutputsRoots(), methods, null,
                "Computes the outputs of the first {@code n} samples of the inputs.", modes ? false : null));
        type.addMethod(entry("loss", TypeName.DOUBLE, List.of(graph.loss()), methods, null,
                "Computes the loss of the first {@code n} samples (outputs too), without gradients.", modes ? false : null));
        List<Node> trainRoots = new ArrayList<>(graph.gradients().values());
        trainRoots.add(0, graph.loss());
        type.addMethod(entry("trainStep", TypeName.DOUBLE, trainRoots, methods, gradientCopies(),
                "Forward and backward pass over the first {@code n} samples: writes every parameter's gradient and returns the loss.",
                modes ? true : null));
        type.addMethod(MethodSpec.methodBuilder("checkBatch")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(int.class, "n")
                .beginControlFlow("if (n < 1 || n > MAX_BATCH)")
                .addStatement("throw new $T($S + n + $S + MAX_BATCH)", IllegalArgumentException.class,
                        "batch size ", " is outside 1..")
                .endControlFlow()
                .build());

        return JavaFile.builder(options.packageName(), type.build())
                .addFileComment("Generated by nnc from $L. Do not edit: change the .nn file and compile again.",
                        JavaNames.commentText(options.sourceName()))
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /**
     * The arrays of computed values: outputs public, the others private and, where the memory plan
     * lets values whose lifetimes do not overlap share one array, declared as that array.
     */
    private void valueFields(TypeSpec.Builder type, TypeName array, List<Node> valueNodes, Set<Node> outputs,
            Fusion.Plan fusion) {
        MemoryPlan plan = MemoryPlan.of(graph, options.maxBatch(), precision, options.vector(), fusion);
        List<String> storage = new ArrayList<>();
        for (int i = 0; i < plan.storage().size(); i++) {
            List<Node> sharers = plan.sharers(i);
            if (sharers.size() < 2) {
                storage.add(null);
                continue;
            }
            String field = names.allocate("storage" + i);
            storage.add(field);
            List<String> users = new ArrayList<>();
            for (Node n : sharers) {
                users.add(buffers.get(n));
            }
            type.addField(FieldSpec.builder(array, field, Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Shared by $L: each is dead before the next is written (nnc's memory plan).\n",
                            String.join(", ", users))
                    .initializer("new $L[$L]", precision.type(), plan.storage().get(i)).build());
        }
        for (Node n : valueNodes) {
            String name = buffers.get(n);
            boolean isOutput = outputs.contains(n);
            int slot = plan.storage(n);
            String shared = slot >= 0 ? storage.get(slot) : null;
            FieldSpec.Builder f = FieldSpec.builder(array, name, isOutput ? Modifier.PUBLIC : Modifier.PRIVATE, Modifier.FINAL);
            if (shared != null) {
                f.initializer("$L", shared);
            } else {
                f.initializer("new $L[$L]", precision.type(), n.shape().batched()
                        ? "MAX_BATCH * " + n.shape().size() : Integer.toString(n.shape().size()));
            }
            if (isOutput) {
                f.addJavadoc("Output {@code $L} $L, written by {@link #infer}.\n", JavaNames.commentText(n.label() == null ? name : n.label()), n.shape());
            }
            type.addField(f.build());
        }
    }

    /** K if the model classifies: its first target holds class indices and its first output K scores. */
    private int classes() {
        if (graph.targets().isEmpty() || graph.outputs().isEmpty()) {
            return 0;
        }
        int k = (int) graph.targets().get(0).value();
        Shape out = graph.outputs().values().iterator().next().shape();
        return k > 0 && out.batched() && out.rank() == 1 && out.last() == k ? k : 0;
    }

    private List<Node> forwardRoots() {
        List<Node> roots = new ArrayList<>(graph.outputs().values());
        if (graph.loss() != null) {
            roots.add(graph.loss());
        }
        return roots;
    }

    private List<Node> forwardOutputsRoots() {
        return new ArrayList<>(graph.outputs().values());
    }

    private List<Node> leavesIn() {
        List<Node> all = new ArrayList<>(graph.inputs());
        all.addAll(graph.targets());
        return all;
    }

    private MethodSpec constructor() {
        MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Allocates every buffer. Parameters start at zero: call {@link #initialize(long)}.\n");
        CodeBlock.Builder params = CodeBlock.builder();
        for (int i = 0; i < graph.params().size(); i++) {
            Node p = graph.params().get(i);
            String field = buffers.get(p);
            params.add(i == 0 ? "\n" : ",\n")
                    .add("new $T($L, $T.of($L, $L, $L), $T.of($L, $L, $L), $L, $L, $L)", PARAMETER,
                            JavaNames.stringLiteral(p.name()), TENSOR, JavaNames.stringLiteral(p.name()), dims(p.shape()),
                            field, TENSOR, JavaNames.stringLiteral(p.name() + ".grad"), dims(p.shape()),
                            gradFields.get(p.name()), init(p.param().init()), p.param().fanIn(), p.param().fanOut());
        }
        m.addStatement("this.parameters = $T.of($L)", LIST, params.build());
        m.addStatement("this.inputs = $T.of($L)", LIST, tensors(graph.inputs()));
        m.addStatement("this.targets = $T.of($L)", LIST, tensors(graph.targets()));
        List<CodeBlock> outs = new ArrayList<>();
        graph.outputs().forEach((name, node) -> outs.add(CodeBlock.of(node.shape().batched()
                ? "$T.batched($L, $L, $L)" : "$T.of($L, $L, $L)", TENSOR, JavaNames.stringLiteral(name), dims(node.shape()),
                buffers.get(node))));
        m.addStatement("this.outputs = $T.of($L)", LIST, CodeBlock.join(outs, ", "));
        if (!graph.states().isEmpty()) {
            List<CodeBlock> states = new ArrayList<>();
            for (Node st : graph.states()) {
                states.add(CodeBlock.of("$T.of($S, $L, $L)", TENSOR, st.name(), dims(st.shape()), buffers.get(st)));
            }
            m.addStatement("this.buffers = $T.of($L)", LIST, CodeBlock.join(states, ", "));
            m.addStatement("resetBuffers()");
        }
        return m.build();
    }

    private CodeBlock tensors(List<Node> leaves) {
        List<CodeBlock> blocks = new ArrayList<>();
        for (Node n : leaves) {
            blocks.add(CodeBlock.of("$T.batched($L, $L, $L)", TENSOR, JavaNames.stringLiteral(n.name()), dims(n.shape()),
                    buffers.get(n)));
        }
        return CodeBlock.join(blocks, ", ");
    }

    private static String dims(Shape s) {
        StringBuilder b = new StringBuilder("new int[] {");
        for (int i = 0; i < s.rank(); i++) {
            b.append(i > 0 ? ", " : "").append(s.dim(i));
        }
        return b.append('}').toString();
    }

    private CodeBlock init(InitSpec init) {
        double[] a = init.args();
        return switch (init.kind()) {
            case "normal" -> CodeBlock.of("$T.normal($L, $L)", INIT, precision.doubleLiteral(a[0]), precision.doubleLiteral(a[1]));
            case "uniform" -> CodeBlock.of("$T.uniform($L, $L)", INIT, precision.doubleLiteral(a[0]), precision.doubleLiteral(a[1]));
            case "constant" -> CodeBlock.of("$T.constant($L)", INIT, precision.doubleLiteral(a[0]));
            case "zeros" -> CodeBlock.of("$T.zeros()", INIT);
            case "xavier_normal" -> CodeBlock.of("$T.xavierNormal()", INIT);
            case "xavier_uniform" -> CodeBlock.of("$T.xavierUniform()", INIT);
            case "he_normal" -> CodeBlock.of("$T.heNormal($L)", INIT, a.length > 0 && a[0] == 1);
            case "he_uniform" -> CodeBlock.of("$T.heUniform($L)", INIT, a.length > 0 && a[0] == 1);
            case "values" -> {
                List<CodeBlock> values = new ArrayList<>();
                for (double v : a) {
                    values.add(CodeBlock.of("$L", precision.doubleLiteral(v)));
                }
                yield CodeBlock.of("$T.values($L)", INIT, CodeBlock.join(values, ", "));
            }
            default -> throw new IllegalArgumentException("no runtime initialiser for " + init);
        };
    }

    private static MethodSpec getter(java.lang.reflect.Type t, String name, CodeBlock body) {
        return getter(TypeName.get(t), name, body);
    }

    private static MethodSpec getter(TypeName t, String name, CodeBlock body) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(t).addStatement(body).build();
    }

    private MethodSpec entry(String name, TypeName returns, List<Node> roots, Map<Node, String> methods,
            CodeBlock epilogue, String doc, Boolean training) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(name).addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(returns).addParameter(int.class, "n")
                .addJavadoc(doc + "\n")
                .addStatement("checkBatch(n)");
        if (training != null) {
            m.addStatement("training = $L", training);
        }
        boolean inBackward = false;
        for (Node n : graph.schedule(roots)) {
            String method = methods.get(n);
            if (method == null) {
                continue;
            }
            if (backward.contains(n) && !inBackward) {
                m.addCode("// Backward pass.\n");
                inBackward = true;
            }
            m.addStatement("$L(n)", method);
        }
        if (epilogue != null) {
            m.addCode(epilogue);
        }
        if (!returns.equals(TypeName.VOID)) {
            Node l = graph.loss();
            if (Kernels.isBuffer(l)) {
                m.addStatement("return $L[0]", buffers.get(l));
            } else {
                m.addStatement("return $L", precision.doubleLiteral(l.value())); // a loss made of constants
            }
        }
        return m.build();
    }

    /** Gradients that could not be computed in place: constants and gradients shared with another value. */
    private CodeBlock gradientCopies() {
        CodeBlock.Builder c = CodeBlock.builder();
        for (Node p : graph.params()) {
            Node g = graph.gradients().get(p.name());
            String field = gradFields.get(p.name());
            if (field.equals(buffers.get(g))) {
                continue;
            }
            if (g.op() == Op.CONST) {
                c.addStatement("$T.fill($L, $L)", java.util.Arrays.class, field, precision.literal(g.value()));
            } else if (g.op() == Op.BATCH) {
                c.addStatement("$L[0] = ($L) n", field, precision.type());
            } else {
                c.addStatement("System.arraycopy($L, 0, $L, 0, $L)", buffers.get(g), field, p.shape().size());
            }
        }
        return c.build();
    }

    /** A statement's name by its origin, for naming the unnamed nodes it lowers to. */
    private Map<String, String> statementNames() {
        Map<String, String> byOrigin = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (n.label() != null && !n.label().startsWith("d_") && n.origin().line() > 0) {
                byOrigin.putIfAbsent(key(n.origin()), n.label());
            }
        }
        graph.outputs().forEach((name, n) -> byOrigin.putIfAbsent(key(n.origin()), name));
        if (graph.loss() != null) {
            byOrigin.putIfAbsent(key(graph.loss().origin()), "loss");
        }
        return byOrigin;
    }

    private static String key(Origin o) {
        return o.line() + ":" + o.column();
    }

    private String suggestName(Node n, Map<String, String> statementNames) {
        if (n.label() != null) {
            return n.label();
        }
        if (n == graph.loss()) {
            return "loss_value"; // "loss" is the method that returns it
        }
        String statement = statementNames.getOrDefault(key(n.origin()), "t");
        return (backward.contains(n) ? "d_" : "") + statement + "_" + n.op().lower();
    }

    private CodeBlock comment(Node n) {
        CodeBlock.Builder c = CodeBlock.builder();
        String what = (backward.contains(n) ? "backward: " : "") + describe(n);
        c.add("// $L\n", JavaNames.commentText(what));
        Origin o = n.origin();
        if (o.line() > 0) {
            c.add("// $L: $L\n", JavaNames.commentText(o.where()), JavaNames.commentText(o.text()));
        }
        fusedComments(n, c);
        return c.build();
    }

    /** One line for each operand computed in this node's loop, innermost last. */
    private void fusedComments(Node n, CodeBlock.Builder c) {
        for (Node in : n.inputs()) {
            if (inlined.contains(in) || absorbed.contains(in)) {
                c.add("//   in the same loop: $L\n", JavaNames.commentText(describe(in)));
                fusedComments(in, c);
            }
        }
    }

    private String describe(Node n) {
        StringBuilder s = new StringBuilder(buffers.get(n)).append(' ').append(n.shape()).append(" = ").append(n.op().lower());
        if (n.op() == Op.POW) {
            s.append('(').append(nnc.ir.Nodes.number(n.value())).append(')');
        }
        s.append(nnc.ir.Nodes.attributes(n));
        if (n.op() == Op.MATMUL && (n.transA() || n.transB())) {
            s.append(n.transA() ? "(aT, " : "(a, ").append(n.transB() ? "bT)" : "b)");
        }
        String sep = " ";
        for (Node in : n.inputs()) {
            s.append(sep).append(in.op() == Op.CONST ? nnc.ir.Nodes.number(in.value()) : in.op() == Op.BATCH ? "n" : buffers.get(in));
            sep = ", ";
        }
        return s.toString();
    }

    private static String where(Origin o) {
        return o.line() > 0 ? " (" + JavaNames.commentText(o.where()) + ")" : "";
    }
}
