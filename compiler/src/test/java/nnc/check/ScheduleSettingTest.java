package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.parse.Ast;
import nnc.parse.Parser;
import nnc.runtime.Schedule;
import nnc.runtime.Schedules;
import org.junit.jupiter.api.Test;

/** The schedule and warmup settings of a train block: what they build and every error they report. */
class ScheduleSettingTest {
    static String model(String train) {
        return "model M {\n  const decay = 0.5\n  input x: [1]\n  target y: [1]\n  output out = dense(x, 1)\n  loss mse(out, y)\n"
                + "  train { " + train + " }\n}\n";
    }

    static TrainSettings settings(String train) {
        Reporter r = new Reporter(null);
        Source s = new Source("m.nn", model(train));
        CheckedModel m = Checker.check(Parser.parse(s, r), s, r);
        assertEquals(List.of(), r.diagnostics().stream().map(d -> d.message()).toList());
        return m.train();
    }

    static List<String> errors(String train) {
        return ErrorsTest.errors(model(train));
    }

    static double[] rates(Schedule s, int epochs) {
        return s.rates(1, epochs);
    }

    @Test
    void withoutAScheduleTheRateStaysAndThereIsNoWarmUp() {
        assertNull(settings("epochs 3").schedule());
        assertEquals(0, settings("epochs 3").warmup());
    }

    @Test
    void namedAndPositionalArgumentsWithPyTorchsDefaults() {
        assertEquals(new Schedules.Step(10, 0.5), settings("schedule step(step_size: 10, gamma: 0.5)").schedule());
        assertEquals(new Schedules.Step(10, 0.1), settings("schedule step(10)").schedule());
        assertEquals(new Schedules.Exponential(0.9), settings("schedule exponential(0.9)").schedule());
        assertEquals(new Schedules.Cosine(50, 0), settings("schedule cosine(t_max: 50)").schedule());
        assertEquals(new Schedules.Cosine(50, 0.001), settings("schedule cosine(50, eta_min: 0.001)").schedule());
        assertEquals(new Schedules.Constant(), settings("schedule constant").schedule());
        assertEquals(5, settings("schedule step(10)  warmup 5").warmup());
    }

    @Test
    void expressionsOfTheEpochAreEvaluatedWithTheFilesConstants() {
        Schedule lambda = settings("schedule lambda(0.95 ^ epoch)").schedule();
        assertEquals("lambda(0.95 ^ epoch)", lambda.describe());
        assertEquals(List.of(1.0, 0.95, 0.9025), boxed(rates(lambda, 3)));
        Schedule multiplicative = settings("schedule multiplicative(decay)").schedule();
        assertEquals(List.of(1.0, 0.5, 0.25), boxed(rates(multiplicative, 3)));
        Schedule functions = settings("schedule lambda(max(0.1, 1 - epoch / 4) * exp(-0 * epoch) + floor(epoch / 10))").schedule();
        assertEquals(List.of(1.0, 0.75, 0.5, 0.25, 0.1, 0.1), boxed(rates(functions, 6)));
        Schedule negative = settings("schedule lambda(-(-1) / sqrt(epoch + 1))").schedule();
        assertEquals(List.of(1.0, 1 / Math.sqrt(2), 1 / Math.sqrt(3)), boxed(rates(negative, 3)));
    }

    private static List<Double> boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    @Test
    void mistakesAreReportedAtTheirPosition() {
        assertEquals(List.of("7:20: unknown schedule 'stepp'; did you mean 'step'? (there are: constant, step, exponential, cosine, lambda,"
                + " multiplicative)"), errors("schedule stepp(10)"));
        assertEquals(List.of("7:40: step has no argument 'gama'; did you mean 'gamma'? (it has: step_size, gamma)"),
                errors("schedule step(step_size: 10, gama: 0.5)"));
        assertEquals(List.of("7:20: step needs step_size, such as step(step_size: 10, gamma: 0.5)"), errors("schedule step(gamma: 0.5)"));
        assertEquals(List.of("7:36: step's step_size must be a whole number of at least 1, not '2.5'"), errors("schedule step(step_size: 2.5)"));
        assertEquals(List.of("7:37: exponential takes at most 1 argument: gamma"), errors("schedule exponential(0.9, 2)"));
        assertEquals(List.of("7:31: cosine's eta_min must be a number of at least 0, not '-1'"), errors("schedule cosine(10, -1)"));
        assertEquals(List.of("7:34: unknown name 'epok'; an expression of a schedule may use epoch (from 0), numbers, consts and exp, log,"
                + " sqrt, sin, cos, abs, floor, min, max"), errors("schedule lambda(0.95 ^ epok)"));
        assertEquals(List.of("7:27: unknown function 'tanh' in a schedule (there are: exp, log, sqrt, sin, cos, abs, floor, min, max)"),
                errors("schedule lambda(tanh(epoch))"));
        assertEquals(List.of("7:27: max takes 2 arguments"), errors("schedule lambda(max(epoch))"));
        assertEquals(List.of("7:20: lambda takes one expression of epoch, such as lambda(0.95 ^ epoch)"), errors("schedule lambda()"));
        assertEquals(List.of("7:20: multiplicative takes one expression of epoch, such as multiplicative(0.99)"),
                errors("schedule multiplicative(f: 0.99)"));
        assertEquals(List.of("7:20: expected a schedule such as step(step_size: 10, gamma: 0.5) or lambda(0.95 ^ epoch)"),
                errors("schedule 3"));
        assertEquals(List.of("7:18: warmup must be a whole number of epochs of at least 0, not '-2'"), errors("warmup -2"));
        assertEquals(List.of("7:29: schedule is already set at line 7"), errors("schedule step(3)  schedule step(4)"));
    }

    @Test
    void theCommandLineGetsTheSameChecks() {
        Reporter r = new Reporter(null);
        Source s = new Source("--schedule", "step(step_size: 0)");
        Ast.Expr e = Parser.parseExpression(s, r);
        assertNull(Checker.schedule(e, s, r));
        assertEquals("--schedule:1:17: error[E321]: step's step_size must be a whole number of at least 1, not '0'",
                r.diagnostics().get(0).format().lines().findFirst().orElseThrow());
    }
}
