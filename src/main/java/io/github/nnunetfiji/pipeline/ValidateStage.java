package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Path;

import io.github.nnunetfiji.dataset.DatasetValidator;
import io.github.nnunetfiji.dataset.ValidationReport;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.util.Progress;

/**
 * Checks a data set folder and, when it is valid, writes {@code dataset_summary.json}. Always
 * reads every case: validation is what tells whether anything else may be reused.
 */
public final class ValidateStage implements Stage<ValidateStage.Request, ValidateStage.Result> {

    /**
     * @param datasetFolder the data set folder
     * @param work          the work folder
     * @param threads       cases read at the same time
     */
    public record Request(Path datasetFolder, WorkFolder work, int threads) {
    }

    /**
     * @param validation  every problem, or the summary
     * @param summaryFile the summary written, or null for an invalid data set (nothing written)
     */
    public record Result(ValidationReport validation, Path summaryFile) implements StageResult {

        @Override
        public boolean ok() {
            return validation.isValid();
        }

        @Override
        public String report() {
            return validation.toText() + (ok() ? "Wrote " + summaryFile : "Nothing was written.") + "\n";
        }
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public Result run(Request request, Progress progress) throws IOException {
        ValidationReport report = new DatasetValidator(request.threads()).validate(request.datasetFolder(), progress);
        Path written = report.isValid() ? DatasetValidator.writeSummary(report, request.work()) : null;
        return new Result(report, written);
    }
}
