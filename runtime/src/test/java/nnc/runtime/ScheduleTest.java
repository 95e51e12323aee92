package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each schedule against rates written out by hand from the formulas in PyTorch's documentation of
 * its lr_scheduler classes, epochs counted from 0 (the first epoch trains at the rate of epoch 0).
 */
class ScheduleTest {
    /** Rounding of pow and cos, far below any difference between the formulas. */
    static final double EPS = 1e-15;

    static void assertRates(double[] expected, Schedule s, double base) {
        double[] one = new double[expected.length];
        for (int e = 0; e < expected.length; e++) {
            one[e] = s.rate(e, base);
        }
        assertArrayEquals(expected, one, EPS, s.describe());
        assertArrayEquals(expected, s.rates(base, expected.length), EPS, s.describe() + " in one pass");
    }

    @Test
    void stepLrMultipliesByGammaEveryStepSizeEpochs() {
        // StepLR(step_size=3, gamma=0.1)
        assertRates(new double[] {0.05, 0.05, 0.05, 0.005, 0.005, 0.005, 0.0005, 0.0005}, new Schedules.Step(3, 0.1), 0.05);
        assertEquals("step(step_size: 3, gamma: 0.1)", new Schedules.Step(3, 0.1).describe());
    }

    @Test
    void exponentialLrMultipliesByGammaEveryEpoch() {
        assertRates(new double[] {1, 0.5, 0.25, 0.125, 0.0625}, new Schedules.Exponential(0.5), 1);
    }

    @Test
    void cosineAnnealingFollowsTheClosedForm() {
        // eta_min + (base - eta_min) (1 + cos(pi e / T_max)) / 2 with base 1, eta_min 0.1, T_max 4.
        assertRates(new double[] {1, 0.8681980515339464, 0.55, 0.23180194846605365, 0.1, 0.23180194846605356},
                new Schedules.Cosine(4, 0.1), 1);
    }

    @Test
    void lambdaLrIsTheBaseTimesTheFunction() {
        // LambdaLR(lr_lambda=lambda epoch: 0.95 ** epoch), base 0.1
        assertRates(new double[] {0.1, 0.095, 0.09025, 0.0857375}, new Schedules.Lambda(e -> Math.pow(0.95, e), "0.95 ^ epoch"), 0.1);
        assertEquals("lambda(0.95 ^ epoch)", new Schedules.Lambda(e -> 1, "0.95 ^ epoch").describe());
    }

    @Test
    void multiplicativeLrMultipliesTheLastRateByTheFunctionFromEpochOne() {
        assertRates(new double[] {1, 0.9, 0.81, 0.729}, new Schedules.Multiplicative(e -> 0.9, "0.9"), 1);
        // f(e) = 1 / (e + 1): the rate of epoch e is 1 / (e + 1)!; f(0) is never used.
        assertRates(new double[] {1, 1 / 2.0, 1 / 6.0, 1 / 24.0, 1 / 120.0},
                new Schedules.Multiplicative(e -> e == 0 ? Double.NaN : 1.0 / (e + 1), "1 / (epoch + 1)"), 1);
    }

    @Test
    void aWarmUpRisesLinearlyToTheBaseThenStartsTheScheduleAtItsEpochZero() {
        assertRates(new double[] {1 / 3.0, 2 / 3.0, 1, 1, 1, 0.5, 0.5, 0.25}, new Schedules.Warmup(3, new Schedules.Step(2, 0.5)), 1);
        assertRates(new double[] {0.25, 0.5, 0.75, 1, 1, 1}, Schedules.withWarmup(new Schedules.Constant(), 4), 1);
        assertEquals(new Schedules.Constant(), Schedules.withWarmup(new Schedules.Constant(), 0));
        assertEquals("warmup 3, then exponential(gamma: 0.5)", new Schedules.Warmup(3, new Schedules.Exponential(0.5)).describe());
        assertEquals("warmup 3", new Schedules.Warmup(3, new Schedules.Constant()).describe());
    }

    @Test
    void createTakesTheFilesArgumentsWithPyTorchsDefaults() {
        assertEquals(new Schedules.Step(10, 0.1), Schedules.create("step", Map.of("step_size", 10.0)));
        assertEquals(new Schedules.Cosine(50, 0), Schedules.create("cosine", Map.of("t_max", 50.0)));
        assertEquals("exponential needs its argument gamma",
                assertThrows(IllegalArgumentException.class, () -> Schedules.create("exponential", Map.of())).getMessage());
    }

    @Test
    void aRateThatIsNotPositiveIsRefusedNamingTheEpoch() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> Schedules.checkedRates(new Schedules.Cosine(2, 0), 0.1, 4)).getMessage();
        assertEquals("the schedule cosine(t_max: 2, eta_min: 0) gives the learning rate 0 at epoch 2 (counting from 0),"
                + " but a learning rate must be a positive number", message);
        assertEquals(2, Schedules.checkedRates(new Schedules.Cosine(2, 0), 0.1, 2).length);
    }

    /** An optimiser that notes the rate of every step and changes nothing. */
    static final class RecordingOptimizer implements Optimizer {
        final List<Double> rates = new ArrayList<>();
        private double lr;

        RecordingOptimizer(double lr) {
            this.lr = lr;
        }

        @Override
        public void step(List<Parameter> params) {
            rates.add(lr);
        }

        @Override
        public double learningRate() {
            return lr;
        }

        @Override
        public void setLearningRate(double lr) {
            this.lr = lr;
        }

        @Override
        public String describe() {
            return "recording(lr: " + lr + ")";
        }
    }

    @Test
    void theTrainerSetsTheScheduledRateAtTheStartOfEveryEpochAndReportsIt() {
        RecordingOptimizer sgd = new RecordingOptimizer(0.5);
        List<Double> reported = new ArrayList<>();
        // 10 samples in batches of 4: 3 steps per epoch.
        new Trainer(new Trainer.Config(5, 4, false, 0)).schedule(new Schedules.Warmup(2, new Schedules.Step(2, 0.1)), 0.5)
                .train(new LinearModel(4), sgd, TrainerTest.line(10), null, new TrainingListener() {
                    @Override
                    public void onEpoch(Trainer.EpochResult r) {
                        reported.add(r.learningRate());
                    }
                });
        List<Double> perEpoch = List.of(0.25, 0.5, 0.5, 0.5, 0.05);
        assertEquals(perEpoch, reported);
        List<Double> perStep = new ArrayList<>();
        for (double r : perEpoch) {
            perStep.addAll(List.of(r, r, r));
        }
        assertEquals(perStep, sgd.rates);
    }
}
