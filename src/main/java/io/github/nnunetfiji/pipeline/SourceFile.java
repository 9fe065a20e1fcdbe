package io.github.nnunetfiji.pipeline;

/**
 * One input file as a result was made from it.
 *
 * @param name           path relative to the data set folder, with '/' separators
 * @param size           size in bytes
 * @param modifiedMillis last modification time, milliseconds since 1970
 * @param sha256         SHA-256 of the content, lower-case hex
 */
public record SourceFile(String name, long size, long modifiedMillis, String sha256) {

    /** What differs from an earlier record of the same file, e.g. "content, size"; empty if nothing. */
    String differenceFrom(SourceFile before) {
        StringBuilder sb = new StringBuilder();
        if (!sha256.equals(before.sha256)) {
            sb.append("content");
        }
        if (size != before.size) {
            sb.append(sb.length() > 0 ? ", " : "").append("size");
        }
        if (modifiedMillis != before.modifiedMillis) {
            sb.append(sb.length() > 0 ? ", " : "").append("modification time");
        }
        return sb.toString();
    }
}
