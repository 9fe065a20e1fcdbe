package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.train.ModelFolder.Checkpoint;
import io.github.nnunetfiji.util.Progress;

/** The share of training time spent waiting for batches: logged per epoch, and older logs still read. */
class DataWaitLogTest {

    @TempDir
    Path tmp;

    @Test
    void everyEpochRecordsItsDataWaitFraction() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Fold fold = new Fold(0);
        List<String> notes = new ArrayList<>();
        Progress progress = new Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void note(String text) {
                notes.add(text);
            }

            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCanceled() {
                return false;
            }
        };
        TrainStageTest.stage().run(TrainFixture.request(work, fold).build(), progress);
        ModelFolder f = TrainStageTest.folder(work);

        List<String> csv = Files.readAllLines(f.trainingLog(fold));
        String[] header = csv.get(0).split(",");
        assertEquals("data_wait_fraction", header[header.length - 1]);
        assertTrue(csv.size() > 1, "epochs logged");
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",");
            assertEquals(header.length, cells.length, row);
            double wait = Double.parseDouble(cells[cells.length - 1]);
            assertTrue(wait >= 0 && wait <= 1, "a fraction: " + row);
        }
        TrainerState state = TrainerState.read(f.trainerState(fold, Checkpoint.FINAL));
        for (EpochRecord r : state.log()) {
            assertNotNull(r.dataWaitFraction(), "epoch " + r.epoch());
        }
        assertTrue(notes.stream().anyMatch(l -> l.startsWith("epoch ") && l.matches(".*data wait \\d+\\.\\d%")),
                String.join("\n", notes));

        // A trainer state written before the column existed still resumes; its epochs log NaN.
        JsonObject json = JsonParser.parseString(Files.readString(f.trainerState(fold, Checkpoint.FINAL)))
                .getAsJsonObject();
        for (JsonElement e : json.getAsJsonArray("log")) {
            e.getAsJsonObject().remove("dataWaitFraction");
        }
        Path old = tmp.resolve("old_state.json");
        Files.writeString(old, json.toString());
        EpochRecord first = TrainerState.read(old).log().get(0);
        assertNull(first.dataWaitFraction());
        assertTrue(TrainingLogCsv.row(first).endsWith(",NaN"), TrainingLogCsv.row(first));
    }
}
