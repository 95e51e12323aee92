package nnc.samples;

import nnc.runtime.Sgd;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Generators;

/**
 * Trains the course's regression model from Java, with the class the nnc Maven plugin generated
 * from {@code src/main/nn/regression.nn}: no reflection, no compiler at run time.
 */
public final class TrainRegression {
    private TrainRegression() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Regression model = new Regression();
        model.initialize(0);
        Generators.Split data = Generators.builtin("regression", 0);
        Trainer trainer = new Trainer(new Trainer.Config(epochs, Regression.MAX_BATCH, false, 0));
        Trainer.Summary s = trainer.train(model, new Sgd(0.1), data.train(), data.validation(), new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult e) {
                if (e.epoch() % 100 == 0) {
                    System.out.printf("epoch %d  train loss %.6f  validation loss %.6f%n", e.epoch(), e.trainLoss(), e.validationLoss());
                }
            }
        });
        // Inference: write inputs into the model's x, call infer, read out.
        model.x[0] = 0.5f;
        model.infer(1);
        System.out.printf("final train loss %.6f, validation loss %.6f; f(0.5) = %.4f (true %.4f)%n",
                s.finalTrainLoss(), s.finalValidationLoss(), model.out[0], (0.5 - 2) * Math.cos(4 * 0.5));
    }
}
