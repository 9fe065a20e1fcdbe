package io.github.nnunetfiji.preprocess;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What preprocessing one configuration's data did.
 *
 * @param configuration  configuration name
 * @param dataIdentifier the preprocessed data's name (its folder)
 * @param folder         where the cases are
 * @param processed      cases preprocessed in this run
 * @param reused         cases kept from an earlier run (same plan signature)
 * @param failed         cases that failed, with the reason (the others are still done)
 */
public record PreprocessingResult(String configuration, String dataIdentifier, Path folder, List<String> processed,
        List<String> reused, Map<String, String> failed) {

    public boolean ok() {
        return failed.isEmpty();
    }

    /** One line per configuration, plus one per failed case. */
    public String toText() {
        StringBuilder sb = new StringBuilder(String.format("%-20s %3d preprocessed, %3d reused, %3d failed -> %s%n",
                configuration, processed.size(), reused.size(), failed.size(), folder));
        failed.forEach((id, why) -> sb.append("    FAILED ").append(id).append(": ").append(why).append('\n'));
        return sb.toString();
    }
}
