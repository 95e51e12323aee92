package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import nnc.diag.Diagnostic;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.parse.Ast;
import nnc.parse.Parser;
import org.junit.jupiter.api.Test;

/**
 * Every kind of error in a .nn file, with its message and position. Each case is a small model
 * that is correct but for one mistake.
 */
class ErrorsTest {
    /** A model body that compiles; cases add or change one line. */
    static String model(String... lines) {
        return "model M {\n" + String.join("\n", lines) + "\n}\n";
    }

    static final String IO = "  input x: [4]\n  target y: [1]";

    /** Diagnostics as {@code line:col: message}. */
    static List<String> errors(String text) {
        Reporter r = new Reporter(null);
        Source s = new Source("m.nn", text);
        Ast.Model ast = Parser.parse(s, r);
        if (ast != null) {
            Checker.check(ast, s, r);
        }
        return r.diagnostics().stream()
                .map(d -> d.line() + ":" + d.column() + ": " + (d.severity() == Diagnostic.Severity.WARNING ? "warning: " : "") + d.message())
                .toList();
    }

    static void assertErrors(String text, String... expected) {
        assertEquals(List.of(expected), errors(text));
    }

    @Test
    void aCorrectModelHasNoErrors() {
        assertEquals(List.of(), errors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)")));
    }

    // ---- syntax ------------------------------------------------------------------------------

    @Test
    void syntaxErrorsSayWhatWasExpected() {
        assertErrors(model("  input x: [4", "  target y: [1]", "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "3:3: expected ',' or ']' but found 'target'");
    }

    @Test
    void aMissingClosingParenthesisIsFound() {
        assertErrors(model(IO, "  output out = dense(x, 1", "  loss mse(out, y)"),
                "5:3: expected ')' before 'loss'");
    }

    @Test
    void anUnexpectedCharacterIsNamed() {
        // ('$' is a name character, as in Java.)
        assertErrors(model(IO, "  output out = dense(x, 1) #", "  loss mse(out, y)"),
                "4:28: unexpected character '#'");
    }

    @Test
    void severalSyntaxErrorsAreReportedInOneRun() {
        List<String> e = errors(model("  input x: [4", "  target y: [1", "  output out = dense(x, 1)", "  loss mse(out, y)"));
        assertEquals(2, e.size(), e.toString());
    }

    @Test
    void deepNestingIsADiagnosticNotACrash() {
        String deep = "(".repeat(10_000) + "x" + ")".repeat(10_000);
        assertErrors(model(IO, "  output out = dense(" + deep + ", 1)", "  loss mse(out, y)"),
                // The model's brace and dense's parenthesis count too.
                "4:220: expression nested too deeply (more than " + Parser.MAX_NESTING + " levels of brackets)");
    }

    @Test
    void keywordsCannotBeNames() {
        assertEquals("2:9: expected a name but found 'loss', a reserved word that cannot be a name",
                errors(model("  input loss: [4]", "  target y: [1]", "  output out = dense(x, 1)", "  loss mse(out, y)")).get(0));
    }

    @Test
    void positionalArgumentsComeFirst() {
        assertErrors(model(IO, "  output out = dense(x, bias: false, 1)", "  loss mse(out, y)"),
                "4:38: positional argument after a named one; put positional arguments first");
    }

    // ---- names -------------------------------------------------------------------------------

    @Test
    void undefinedNamesSuggestTheClosestName() {
        assertErrors(model(IO, "  output out = dense(xx, 1)", "  loss mse(out, y)"),
                "4:22: undefined name 'xx'; did you mean 'x'?");
    }

    @Test
    void namesUsedBeforeTheirDefinitionSaySo() {
        assertErrors(model(IO, "  h = dense(g, 4)", "  g = dense(x, 4)", "  output out = dense(h, 1)", "  loss mse(out, y)"),
                "4:13: 'g' is used before it is defined (at line 5)");
    }

    @Test
    void duplicateNamesPointAtTheFirst() {
        assertErrors(model(IO, "  input x: [2]", "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "4:9: 'x' is already defined at line 2");
    }

    @Test
    void aValueCannotReuseAParameterName() {
        assertErrors(model(IO, "  param h: [1]", "  h = dense(x, 1)", "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "5:3: 'h' is already defined at line 4");
    }

    @Test
    void unknownFunctionsSuggestTheClosest() {
        assertErrors(model(IO, "  output out = sigmod(dense(x, 1))", "  loss mse(out, y)"),
                "4:16: unknown function 'sigmod'; did you mean 'sigmoid'?");
    }

    @Test
    void aFunctionNameIsNotAValue() {
        assertErrors(model(IO, "  output out = dense(x, 1) + relu", "  loss mse(out, y)"),
                "4:30: 'relu' is a function; call it with arguments");
    }

    // ---- arguments ---------------------------------------------------------------------------

    @Test
    void wrongArity() {
        assertErrors(model(IO, "  output out = sigmoid(dense(x, 1), x)", "  loss mse(out, y)"),
                "4:16: sigmoid takes 1 argument, but got 2");
    }

    @Test
    void unknownNamedArgument() {
        assertErrors(model(IO, "  output out = dense(x, 1, weigths: zeros)", "  loss mse(out, y)"),
                "4:28: dense has no argument 'weigths'; did you mean 'weights'?");
    }

    @Test
    void unitsMustBeAPositiveWholeNumber() {
        assertErrors(model(IO, "  output out = dense(x, 2.5)", "  loss mse(out, y)"),
                "4:25: the number of units of dense must be a whole number of at least 1, not '2.5'");
    }

    @Test
    void unknownInitialiser() {
        assertErrors(model(IO, "  output out = dense(x, 1, weights: gaussian(0, 1))", "  loss mse(out, y)"),
                "4:37: unknown initialiser 'gaussian'");
    }

    @Test
    void initialiserArity() {
        assertErrors(model(IO, "  output out = dense(x, 1, weights: normal(0))", "  loss mse(out, y)"),
                "4:37: normal takes 2 arguments, but got 1");
    }

    @Test
    void anInitialiserIsNotAFunctionOfValues() {
        assertErrors(model(IO, "  output out = dense(x, 1) + normal(0, 1)", "  loss mse(out, y)"),
                "4:30: 'normal' is an initialiser; it can only initialise a parameter");
    }

    @Test
    void unknownDefault() {
        assertErrors(model("  init weigths normal(0, 1)", IO, "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "2:8: unknown default 'weigths': write 'weights' or 'biases'; did you mean 'weights'?");
    }

    @Test
    void theExponentMustBeConstant() {
        assertErrors(model(IO, "  output out = dense(x, 1) ^ y", "  loss mse(out, y)"),
                "4:30: the exponent of ^ must be a constant number, such as 2 or -0.5");
    }

    // ---- shapes ------------------------------------------------------------------------------

    @Test
    void shapeMismatchesShowBothShapes() {
        assertErrors(model(IO, "  output out = dense(x, 3) + dense(x, 2)", "  loss mse(out, y)"),
                "4:16: cannot add [batch, 3] and [batch, 2]: the shapes do not broadcast");
    }

    @Test
    void mseDoesNotBroadcast() {
        assertErrors(model("  input x: [4]", "  target y: []", "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "5:8: mse needs two values of the same shape, but got [batch, 1] and [batch]");
    }

    @Test
    void denseNeedsAVector() {
        assertErrors(model("  input x: [2, 4]", "  target y: [1]", "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "4:22: dense needs a batched vector [batch, k] as input, but got [batch, 2, 4]; flatten it first");
    }

    @Test
    void matmulInnerDimensions() {
        assertErrors(model(IO, "  param w: [3, 1]", "  output out = matmul(x, w)", "  loss mse(out, y)"),
                "5:16: matmul of [batch, 4] and [3, 1]: the inner dimensions 4 and 3 differ");
    }

    @Test
    void dimensionsArePositive() {
        assertErrors(model("  input x: [0]", "  target y: [1]", "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "2:13: a dimension must be at least 1");
    }

    @Test
    void hugeDimensionsAreRefused() {
        assertErrors(model("  input x: [99999999999999999999]", "  target y: [1]", "  output out = dense(x, 1)", "  loss mse(out, y)"),
                "2:13: shape too large: more than 2147483647 elements");
    }

    // ---- the model as a whole ----------------------------------------------------------------

    @Test
    void theLossMustBeAScalar() {
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss (out - y)^2"),
                "5:8: the loss must be a scalar, but this is [batch, 1]; average it with mean(...) or add it up with sum(...)");
    }

    @Test
    void aModelNeedsALoss() {
        assertErrors(model(IO, "  output out = dense(x, 1)"),
                "1:7: model M has no loss; add 'loss <expression>', such as 'loss mse(out, y)'");
    }

    @Test
    void aModelHasOneLoss() {
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)", "  loss mean(out)"),
                "6:3: a model has one loss; the first is at line 5");
    }

    @Test
    void aModelNeedsAnOutput() {
        assertErrors(model(IO, "  out = dense(x, 1)", "  loss mse(out, y)"),
                "1:7: model M has no output; mark the prediction with 'output', such as 'output out = dense(h, 1)'");
    }

    // ---- training settings -------------------------------------------------------------------

    @Test
    void unknownSetting() {
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)", "  train { epoch 3 }"),
                "6:11: unknown training setting 'epoch'; did you mean 'epochs'?");
    }

    @Test
    void duplicatedSetting() {
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)", "  train { batch 3 batch 4 }"),
                "6:19: batch is already set at line 6");
    }

    @Test
    void invalidSettings() {
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)",
                        "  train { batch 0 epochs -1 shuffle maybe optimizer adamm(lr: 0.1) }"),
                "6:17: batch must be a whole number of at least 1, not '0'",
                "6:26: epochs must be a whole number of at least 0, not '-1'",
                "6:37: shuffle takes true or false",
                "6:53: unknown optimiser 'adamm'; did you mean 'adam'? (there are: sgd, adagrad, rmsprop, adam, adamw)");
    }

    @Test
    void optimiserArgumentsAreReadWithTheRuntimesDefaultsForTheRest() {
        Reporter r = new Reporter(null);
        Source s = new Source("m.nn", model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)",
                "  train { optimizer adam(beta2: 0.99, eps: 1e-6) }"));
        TrainSettings t = Checker.check(Parser.parse(s, r), s, r).train();
        assertEquals("adam", t.optimizer());
        assertEquals(0.001, t.lr());
        assertEquals(java.util.Map.of("beta2", 0.99, "eps", 1e-6), t.optimizerArgs());
        assertEquals(java.util.Map.of("beta2", 0.99, "eps", 1e-6, "lr", 0.001), t.optimizerArguments());
    }

    @Test
    void optimiserArgumentsAreCheckedByName() {
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)",
                        "  train { optimizer adam(lr: 0.1, beta: 0.5) }"),
                "6:35: adam has no argument 'beta'; did you mean 'beta1'? (it has: lr, beta1, beta2, eps, weight_decay)");
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)",
                        "  train { optimizer sgd(lr: 0.1, momentum: 1.5) }"),
                "6:44: momentum must be a number from 0 to less than 1, not '1.5'");
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)",
                        "  train { optimizer sgd(lr: 0.1, nesterov: true) }"),
                "6:21: Nesterov momentum needs a momentum above 0, such as sgd(lr: 0.1, momentum: 0.9, nesterov: true)");
    }

    @Test
    void theLearningRateIsPositive() {
        assertErrors(model(IO, "  output out = dense(x, 1)", "  loss mse(out, y)", "  train { optimizer sgd(lr: -0.1) }"),
                "6:29: the learning rate must be a positive number, not '-0.1'");
    }

    // ---- all at once, and the format ----------------------------------------------------------

    @Test
    void everyErrorOfAFileIsReportedInOneRun() {
        List<String> e = errors(model(IO, "  h = sigmod(x)", "  output out = dense(hh, 1)", "  loss mse(out, z)"));
        assertEquals(3, e.size(), e.toString());
    }

    @Test
    void theFormatShowsTheLineAndACaretUnderTheOffendingText() {
        Reporter r = new Reporter(null);
        Source s = new Source("dir/m.nn", model(IO, "\toutput out = sigmod(dense(x, 1))", "  loss mse(out, y)"));
        Checker.check(Parser.parse(s, r), s, r);
        assertEquals("dir/m.nn:4:15: error[E204]: unknown function 'sigmod'; did you mean 'sigmoid'?\n"
                + "\toutput out = sigmod(dense(x, 1))\n"
                + "\t             ^~~~~~", r.diagnostics().get(0).format());
    }

    @Test
    void unicodeAndKeywordLikeNamesAreAccepted() {
        String text = model("  input gr\u00f6\u00dfe: [4]", "  target class: [1]", "  _h1 = dense(gr\u00f6\u00dfe, 3)",
                "  output new = dense(_h1, 1)", "  loss mse(new, class)");
        assertEquals(List.of(), errors(text));
        Reporter r = new Reporter(null);
        Source s = new Source("m.nn", text);
        CheckedModel m = Checker.check(Parser.parse(s, r), s, r);
        assertNotNull(m);
        assertEquals(List.of("_h1.weight", "_h1.bias", "new.weight", "new.bias"),
                m.params().stream().map(CheckedModel.ParamSpec::name).toList());
    }

    @Test
    void aParseWithErrorsGivesNoModel() {
        Reporter r = new Reporter(null);
        assertNull(Parser.parse(new Source("m.nn", "model {"), r));
    }

    // ---- images --------------------------------------------------------------------------------

    static final String IMAGE = "  input x: [1, 8, 8]\n  target y: class(3)";

    static String image(String... lines) {
        return model(IMAGE, String.join("\n", lines), "  output out = dense(f, 3)", "  loss cross_entropy(out, y)");
    }

    @Test
    void convolutionsAndPoolsNeedImages() {
        assertErrors(model("  input x: [64]", "  target y: class(3)", "  f = conv2d(x, 4, 3)", "  output out = dense(f, 3)",
                "  loss cross_entropy(out, y)"),
                "4:14: conv2d needs images [batch, C, H, W], but got [batch, 64]; give the input a shape such as [1, 28, 28], or reshape(x, 1, 28, 28)");
        assertErrors(model("  input x: [4, 4]", "  target y: class(3)", "  f = flatten(maxpool2d(x, 2))",
                "  output out = dense(f, 3)", "  loss cross_entropy(out, y)"),
                "4:25: maxpool2d needs images [batch, C, H, W], but got [batch, 4, 4]");
    }

    @Test
    void aKernelThatDoesNotFitIsReported() {
        assertErrors(image("  f = flatten(conv2d(x, 4, 9))"),
                "4:15: conv2d: a 9x9 kernel does not fit [batch, 1, 8, 8] with padding 0");
        assertErrors(image("  f = flatten(avgpool2d(x, 3, padding: 2))"),
                "4:15: avgpool2d pads at most half the kernel on each side: padding 2 is too much for kernel 3");
    }

    @Test
    void imageArgumentsAreChecked() {
        assertErrors(image("  f = flatten(conv2d(x, 4, 3, stride: 0))"),
                "4:39: the stride of conv2d must be a whole number of at least 1, not '0'");
        assertErrors(image("  f = flatten(conv2d(x, 4, 3, padding: -1))"),
                "4:40: the padding of conv2d must be a whole number of at least 0, not '-1'");
        assertErrors(image("  f = flatten(conv2d(x, 4, 3, dilation: 2))"),
                "4:31: conv2d has no argument 'dilation'");
        assertErrors(image("  f = flatten(batchnorm(x, momentum: 2))"),
                "4:38: the momentum of batchnorm must be a number from 0 to 1, not '2'");
        assertErrors(image("  f = reshape(x, 8, 9)"),
                "4:7: cannot reshape [batch, 1, 8, 8] (64 values per sample) to [batch, 8, 9] (72)");
    }

    @Test
    void batchnormNeedsImagesOrVectors() {
        assertErrors(model("  input x: [2, 3]", "  target y: class(3)", "  f = flatten(batchnorm(x))",
                "  output out = dense(f, 3)", "  loss cross_entropy(out, y)"),
                "4:25: batchnorm needs images [batch, C, H, W] or vectors [batch, F], but got [batch, 2, 3]");
    }
}
