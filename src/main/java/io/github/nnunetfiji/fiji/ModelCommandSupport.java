package io.github.nnunetfiji.fiji;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;

/** What the prediction commands share: folds and configuration from text fields, and the engine. */
final class ModelCommandSupport {

    private ModelCommandSupport() {
    }

    /** Folds separated by spaces or commas ("0 1 2", "all"); blank means every trained fold. */
    static List<String> folds(String text) {
        List<String> f = new ArrayList<>();
        if (text != null) {
            for (String s : text.trim().split("[\\s,;]+")) {
                if (!s.isEmpty()) {
                    f.add(s);
                }
            }
        }
        return f;
    }

    static String configuration(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    static Engine engine(int threads) throws java.io.IOException {
        EngineOptions o = EngineOptions.defaults();
        o.intraOpThreads = threads;
        return EngineLoader.load(o);
    }

    static String check(File model) {
        if (model == null || !model.isDirectory()) {
            return "Model folder not found: " + model + ". Choose a trained model folder (WORK/<data set>/models/<CONFIG>).";
        }
        return null;
    }
}
