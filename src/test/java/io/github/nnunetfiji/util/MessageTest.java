package io.github.nnunetfiji.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A message names fields and stages; its neutral words are the Java API's, and each surface brings its own. */
class MessageTest {

    /** A surface that marks what it renders. */
    private static final Message.Vocabulary MARKS = new Message.Vocabulary() {
        @Override
        public String field(RequestField field, String value) {
            return "<" + field + (value == null ? "" : "=" + value) + ">";
        }

        @Override
        public String stage(Message.Run run) {
            return "[" + run.stage() + " " + run.values() + "]";
        }
    };

    @Test
    void piecesBecomeTextFieldsAndStages() {
        Message m = Message.of("run ", StageName.PREPROCESS.with(RequestField.CONFIGURATION, "2d"), " or give ",
                RequestField.WORK_FOLDER, " (", RequestField.EPOCHS.is(3), ", ", 7, ")");
        assertEquals("run [PREPROCESS {CONFIGURATION=2d}] or give <WORK_FOLDER> (<EPOCHS=3>, 7)", m.render(MARKS));
        assertEquals("run the preprocess stage (configuration=2d) or give 'work' (epochs=3, 7)", m.toString());
        assertEquals(m, Message.of(m));
        assertEquals("x: run the plan stage", Message.of("x: ").plus("run ", StageName.PLAN).toString());
        assertInstanceOf(Message.Run.class, Message.of(StageName.PLAN).parts().get(0));
        assertEquals(Map.of(), StageName.PLAN.run().values());
    }

    @Test
    void exceptionsCarryTheirMessageAndReadNeutrallyElsewhere() {
        RequestException e = new RequestException("give a larger ", RequestField.EPOCHS);
        assertEquals("give a larger 'epochs'", e.getMessage());
        assertEquals("give a larger <EPOCHS>", Message.describe(e, MARKS));
        ExplainedIOException io = new ExplainedIOException(Message.of("run ", StageName.FINGERPRINT, " again"));
        assertEquals("run [FINGERPRINT {}] again", Message.describe(io, MARKS));
        // Any other exception is its message, or its class without one.
        assertEquals("plain", Message.describe(new IOException("plain"), MARKS));
        assertEquals("java.lang.IllegalStateException", Message.describe(new IllegalStateException(), MARKS));
    }
}
