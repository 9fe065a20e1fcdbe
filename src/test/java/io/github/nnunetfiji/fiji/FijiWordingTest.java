package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/** Fiji words the core's fields as the dialogs' fields and macro keys, and its stages as menu commands. */
class FijiWordingTest {

    private static final List<Class<?>> COMMANDS = List.of(ValidateDatasetCommand.class, FingerprintCommand.class,
            PlanCommand.class, PreprocessCommand.class, TrainCommand.class, PredictCommand.class,
            PostprocessCommand.class, EvaluateCommand.class, SegmentImageCommand.class);

    @Test
    void fieldsAreDialogFieldsWithTheirMacroKeys() {
        FijiWording train = FijiWording.of(TrainCommand.class);
        assertEquals("'Epochs' (epochs=)", train.field(RequestField.EPOCHS, null));
        assertEquals("'Continue' (continue_training=)", train.field(RequestField.CONTINUE, null));
        assertEquals("'Optimizer' (optimizer=sgd)", train.field(RequestField.OPTIMIZER, "sgd"));
        // Inherited from DatasetStageCommand; a path in brackets, as a macro writes it.
        assertEquals("'Work folder' (work=[/tmp/w])", train.field(RequestField.WORK_FOLDER, "/tmp/w"));
        // The same field in another dialog: its own label.
        assertEquals("'Input folder' (input=)", FijiWording.of(PostprocessCommand.class).field(RequestField.INPUT, null));
        assertEquals("'Data set folder' (dataset=)",
                FijiWording.of(PostprocessCommand.class).field(RequestField.DATASET, null));
        // A field the dialog does not have: the Java API's name.
        assertEquals("'saveInterval'", train.field(RequestField.SAVE_INTERVAL, null));
    }

    @Test
    void stagesAreMenuCommandsWithMacroOptions() {
        FijiWording words = FijiWording.of(TrainCommand.class);
        assertEquals("nnU-Net Preprocess with dataset=[/d/Task] configurations=2d", words.stage(StageName.PREPROCESS
                .with(RequestField.DATASET, "/d/Task").with(RequestField.CONFIGURATION, "2d")));
        assertEquals("nnU-Net Plan, then nnU-Net Preprocess", words.stage(StageName.PLAN_AND_PREPROCESS.run()));
        assertEquals("nnU-Net Postprocess with action=determine", words.stage(StageName.POSTPROCESS_DETERMINE.run()));
        String text = words.describe(new PrerequisiteException(Message.of("No preprocessed data; run ",
                StageName.PREPROCESS)));
        assertEquals("No preprocessed data; run nnU-Net Preprocess", text);
        for (StageName s : StageName.values()) {
            assertTrue(words.stage(s.run()).startsWith("nnU-Net "), s.toString());
        }
    }

    @Test
    void everyFieldHasADialogFieldSomewhere() {
        for (RequestField f : RequestField.values()) {
            if (f == RequestField.PRECISION || f == RequestField.SAVE_INTERVAL) {
                continue; // command line only
            }
            assertNotNull(COMMANDS.stream().map(c -> FijiWording.input(c, f)).filter(i -> i != null).findFirst()
                    .orElse(null), "no dialog field for " + f);
        }
    }

    @Test
    void labelsLoseTheirRemarks() {
        assertEquals("Epochs", FijiWording.shortLabel("Epochs (0 = the plan's)"));
        assertEquals("Model", FijiWording.shortLabel("Model (installed model's name, or a folder)"));
        assertEquals("Threads", FijiWording.shortLabel("Threads"));
    }
}
