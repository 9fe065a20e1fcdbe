package io.github.nnunetfiji.dataset;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of validating a data set: every problem found and, if there are none, its summary.
 *
 * @param dataset  the loaded data set, or null if dataset.json itself is unusable
 * @param problems every problem found, in the order found (structure first, then per case)
 * @param summary  the summary; null when there are problems
 */
public record ValidationReport(Dataset dataset, List<Problem> problems, DatasetSummary summary) {

    public ValidationReport {
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** Summary text if valid, else the numbered list of problems. */
    public String toText() {
        if (isValid()) {
            return summary.toText();
        }
        StringBuilder sb = new StringBuilder(problems.size() + " problem(s) found:\n");
        int i = 1;
        for (Problem p : problems) {
            sb.append(String.format("%3d. ", i++)).append(p).append('\n');
        }
        return sb.toString();
    }

    /** Problems of one kind (handy for tests and tools). */
    public List<Problem> problemsOf(Problem.Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).collect(Collectors.toList());
    }
}
