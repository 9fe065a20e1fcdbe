package io.github.nnunetfiji.dataset;

import java.util.List;
import java.util.stream.Collectors;

/** A data set that cannot be used, with every problem found. */
public class DatasetException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public DatasetException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        return problems.size() + " problem(s) in the data set:\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }
}
