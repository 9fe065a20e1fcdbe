package io.github.nnunetfiji.fiji;

import java.awt.GraphicsEnvironment;
import java.util.function.BooleanSupplier;

/**
 * Text for dialogs: Fiji shows a command's cancel reason in a message dialog one line per line of
 * text, so a long reason (a refusal naming a path and the fix) became one line wider than the screen.
 */
final class DialogText {

    /** Characters per line in a dialog. */
    static final int WIDTH = 80;

    /** Whether messages may end up in a dialog: not when Java runs headless. Replaced in tests. */
    static BooleanSupplier shown = () -> !GraphicsEnvironment.isHeadless();

    private DialogText() {
    }

    /** {@code text} as a dialog shows it: wrapped at {@value #WIDTH} characters where dialogs are shown, else as is. */
    static String forDialog(String text) {
        return text == null || !shown.getAsBoolean() ? text : wrap(text, WIDTH);
    }

    /**
     * Breaks each line of {@code text} at spaces into lines of at most {@code width} characters; a
     * word longer than that (a path) stays whole on its own line. Line breaks already there stay.
     */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        String[] paragraphs = text.split("\n", -1);
        for (int p = 0; p < paragraphs.length; p++) {
            if (p > 0) {
                out.append('\n');
            }
            int lineLength = 0;
            boolean first = true;
            for (String word : paragraphs[p].split(" ")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (!first && lineLength + 1 + word.length() > width) {
                    out.append('\n');
                    lineLength = 0;
                } else if (!first) {
                    out.append(' ');
                    lineLength++;
                }
                out.append(word);
                lineLength += word.length();
                first = false;
            }
        }
        return out.toString();
    }
}
