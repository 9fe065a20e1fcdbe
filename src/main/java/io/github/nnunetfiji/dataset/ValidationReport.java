package io.github.nnunetfiji.dataset;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of validating a data set: every problem found, every warning and, if there are no
 * problems, its summary.
 *
 * @param dataset  the loaded data set, or null if dataset.json itself is unusable
 * @param problems every problem found, in the order found (structure first, then per case)
 * @param warnings things worth knowing that do not make the data set invalid (ignored files,
 *                 single-slice cases in a 3D data set); also in the summary
 * @param summary  the summary; null when there are problems
 */
public record ValidationReport(Dataset dataset, List<Problem> problems, List<Problem> warnings, DatasetSummary summary) {

    public ValidationReport {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** A report without warnings. */
    public ValidationReport(Dataset dataset, List<Problem> problems, DatasetSummary summary) {
        this(dataset, problems, List.of(), summary);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** Summary text (with the warnings) if valid, else the numbered list of problems and the warnings. */
    public String toText() {
        if (isValid()) {
            return summary.toText();
        }
        StringBuilder sb = new StringBuilder(problems.size() + " problem(s) found:\n");
        int i = 1;
        for (Problem p : problems) {
            sb.append(String.format("%3d. ", i++)).append(p).append('\n');
        }
        if (!warnings.isEmpty()) {
            sb.append("Warnings:\n");
            for (Problem w : warnings) {
                sb.append("  - ").append(w).append('\n');
            }
        }
        return sb.toString();
    }

    /** Problems of one kind (handy for tests and tools). */
    public List<Problem> problemsOf(Problem.Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).collect(Collectors.toList());
    }

    /** Warnings of one kind. */
    public List<Problem> warningsOf(Problem.Kind kind) {
        return warnings.stream().filter(p -> p.kind() == kind).collect(Collectors.toList());
    }
}
