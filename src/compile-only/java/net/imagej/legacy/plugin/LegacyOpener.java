package net.imagej.legacy.plugin;

import org.scijava.plugin.SciJavaPlugin;

/**
 * Compile-time copy of imagej-legacy's extension point for opening files through ImageJ 1's
 * {@code IJ.open}, {@code IJ.openImage}, Open Recent and drag and drop (imagej-legacy is not on
 * Maven Central). Never packaged: javac reads it from the source path only ({@code -implicit:none}
 * in pom.xml), so in Fiji the class is imagej-legacy's own; tests compile it into their classes.
 * Its one method must stay as imagej-legacy declares it.
 */
public interface LegacyOpener extends SciJavaPlugin {

    /**
     * @param path the file, or null when File &gt; Open is about to ask for one
     * @param planeIndex the plane to open, or -1 for all
     * @param displayResult whether the opened image is to be shown before it is returned
     * @return the opened object, {@code Boolean.TRUE} if opening was canceled, or null to let the
     *         next opener (finally ImageJ 1 itself) try
     */
    Object open(String path, int planeIndex, boolean displayResult);
}
