package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.io.ImageFileException;

/** How predict's inputs become cases: channel files grouped, other numbered files kept whole. */
class FindCasesTest {

    @TempDir
    Path tmp;

    private Path touch(String name) throws IOException {
        return Files.createFile(tmp.resolve(name));
    }

    @Test
    void channelFilesNumberedFromZeroAreOneCase() throws IOException {
        Path c0 = touch("case_a_0000.nii.gz");
        Path c1 = touch("case_a_0001.nii.gz");
        Path single = touch("isbi_003.nii.gz");
        Map<String, List<Path>> cases = FolderPrediction.findCases(List.of(tmp));
        assertEquals(List.of("case_a", "isbi_003"), List.copyOf(cases.keySet()));
        assertEquals(List.of(c0, c1), cases.get("case_a"));
        assertEquals(List.of(single), cases.get("isbi_003"));
    }

    @Test
    void numberedFilesThatAreNotChannelsAreCasesOfTheirOwn() throws IOException {
        // Decathlon-style 4D files given one by one: not channels 3 and 5 of a case "BRATS".
        Path a = touch("BRATS_0003.nii.gz");
        Path b = touch("BRATS_0005.nii.gz");
        Map<String, List<Path>> cases = FolderPrediction.findCases(List.of(a, b));
        assertEquals(List.of("BRATS_0003", "BRATS_0005"), List.copyOf(cases.keySet()));
        assertEquals(List.of(b), cases.get("BRATS_0005"));
        Map<String, List<Path>> alone = FolderPrediction.findCases(List.of(a));
        assertEquals(List.of(a), alone.get("BRATS_0003"));
    }

    @Test
    void aCaseGivenTwiceIsRefused() throws IOException {
        Path whole = touch("x_0007.nii.gz");
        Path tif = touch("x_0007.tif");
        ImageFileException e = assertThrows(ImageFileException.class,
                () -> FolderPrediction.findCases(List.of(whole, tif)));
        assertTrue(e.getMessage().contains("x_0007"), e.getMessage());
    }
}
