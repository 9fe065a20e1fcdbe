package io.github.nnunetfiji.bioimageio;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Maps, lists, strings, numbers and booleans as block-style YAML. Strings are always double-quoted
 * with JSON's escapes (valid YAML 1.1 and 1.2), so no value is read as another type; numbers are
 * written in plain decimal, which every YAML reader takes as a number.
 */
final class YamlText {

    private YamlText() {
    }

    static String of(Map<String, ?> document) {
        StringBuilder sb = new StringBuilder();
        map(sb, document, 0, false);
        return sb.toString();
    }

    /** @param onDashLine the first key follows a list item's dash, already written */
    private static void map(StringBuilder sb, Map<String, ?> m, int indent, boolean onDashLine) {
        boolean first = true;
        for (Map.Entry<String, ?> e : m.entrySet()) {
            if (!first || !onDashLine) {
                sb.append(" ".repeat(indent));
            }
            first = false;
            entry(sb, e.getKey(), e.getValue(), indent);
        }
    }

    private static void entry(StringBuilder sb, String key, Object value, int indent) {
        sb.append(key).append(':');
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            sb.append('\n');
            map(sb, cast(m), indent + 2, false);
        } else if (value instanceof List<?> l && !l.isEmpty() && !scalars(l)) {
            sb.append('\n');
            for (Object item : l) {
                sb.append(" ".repeat(indent + 2)).append("- ");
                if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                    // the first key on the dash's line, the others under it
                    map(sb, cast(m), indent + 4, true);
                } else {
                    sb.append(scalar(item)).append('\n');
                }
            }
        } else {
            sb.append(' ').append(scalar(value)).append('\n');
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }

    private static boolean scalars(List<?> l) {
        return l.stream().noneMatch(o -> o instanceof Map || o instanceof List);
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?>) {
            return "{}";
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? ", " : "").append(scalar(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("Not a finite number: " + d);
            }
            String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        return quoted(v.toString());
    }

    static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
