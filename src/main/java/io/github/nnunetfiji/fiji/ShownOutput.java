package io.github.nnunetfiji.fiji;

/**
 * A command that names the one simple output (text, number, boolean) Fiji should show in a window
 * after an interactive run; {@link OutputDisplayFilter} marks its other simple outputs as handled.
 */
public interface ShownOutput {

    /** The output's name, or null to show none (the command's result is an image, say). */
    String shownOutput();

    /** Whether the command wrote {@code text} to the log already (then headless runs print it no second time). */
    default boolean logged(String text) {
        return false;
    }
}
