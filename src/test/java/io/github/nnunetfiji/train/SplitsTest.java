package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.testutil.TestData;

class SplitsTest {

    @TempDir
    Path tmp;

    static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("case_%03d", i)).toList();
    }

    @Test
    void generatedSplitIsReproducibleAndPartitionsTheCases() {
        Splits a = Splits.generate(ids(23), 12345);
        List<String> reversed = new ArrayList<>(ids(23));
        java.util.Collections.reverse(reversed);
        assertEquals(a, Splits.generate(reversed, 12345), "order of the input does not matter");
        assertNotEquals(a, Splits.generate(ids(23), 7));
        Set<String> seen = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (Splits.FoldCases f : a.folds()) {
            sizes.add(f.val().size());
            assertEquals(23, f.train().size() + f.val().size());
            for (String v : f.val()) {
                assertTrue(seen.add(v), v + " validates in one fold only");
                assertTrue(!f.train().contains(v));
            }
        }
        assertEquals(23, seen.size());
        assertEquals(List.of(5, 5, 5, 4, 4), sizes);
        assertThrows(IllegalArgumentException.class, () -> Splits.generate(ids(1), 1));
    }

    @Test
    void fewerCasesThanFoldsGiveOneFoldPerCase() {
        Splits s = Splits.generate(ids(3), 12345);
        assertEquals(3, s.folds().size());
        Set<String> validated = new HashSet<>();
        for (Splits.FoldCases f : s.folds()) {
            assertEquals(1, f.val().size());
            assertEquals(2, f.train().size());
            validated.addAll(f.val());
        }
        assertEquals(3, validated.size(), "every case validates once");
        assertEquals(List.of(0, 0, 2, 3, 4, 5, 5), IntStream.of(0, 1, 2, 3, 4, 5, 50).map(Splits::foldCount).boxed().toList());
        assertThrows(IllegalArgumentException.class, () -> s.cases(new Fold(3)), "fold 3 of a 3-fold split");
    }

    @Test
    void writtenSplitReadsBack() throws IOException {
        Splits a = Splits.generate(ids(10), 3);
        a.write(tmp.resolve("splits.json"));
        assertEquals(a, Splits.read(tmp.resolve("splits.json")));
    }

    @Test
    void readsTheReferencesSplitOfTheIsbiSet() throws IOException {
        Path file = TestData.shared("splits").resolve("Task100_ISBI2012EM_splits_final.json");
        Splits s = Splits.read(file);
        assertEquals(5, s.folds().size());
        assertEquals(List.of("isbi_003", "isbi_008", "isbi_012", "isbi_015", "isbi_018", "isbi_026"),
                s.cases(new Fold(0)).val());
        assertEquals(24, s.cases(new Fold(0)).train().size());
        s.check(new HashSet<>(IntStream.range(0, 30).mapToObj(i -> String.format("isbi_%03d", i)).toList()), file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.check(new HashSet<>(List.of("isbi_000")), file));
        assertTrue(e.getMessage().contains("isbi_003") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void malformedSplitIsRefusedWithItsName() throws IOException {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"train\": []}");
        IOException e = assertThrows(IOException.class, () -> Splits.read(f));
        assertTrue(e.getMessage().contains(f.toString()));
        Files.writeString(f, "[{\"train\": [\"a\"], \"val\": [\"a\"]}]");
        Splits s = Splits.read(f);
        assertThrows(IllegalArgumentException.class, () -> s.check(Set.of("a"), f));
    }
}
