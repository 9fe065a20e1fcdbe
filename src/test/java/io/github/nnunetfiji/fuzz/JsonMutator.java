package io.github.nnunetfiji.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of JSON text that keep it mostly JSON, so they get past the parser to the code
 * that binds and checks the values: a value (or a key) replaced by an interesting one (null, a
 * number out of int range, NaN, a string where a number belongs, an empty or deeply nested
 * array), a whole object or array replaced, a token removed or repeated, members swapped.
 */
final class JsonMutator {

    private static final Pattern TOKEN = Pattern.compile(
            "\"(?:[^\"\\\\]++|\\\\.)*+\"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|true|false|null|[{}\\[\\]:,]");

    private static final String[] VALUES = {"null", "0", "-1", "1", "2", "-0", "1.5", "2147483648", "-2147483649",
        "9223372036854775808", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "-Infinity", "\"\"", "\"x\"",
        "\"-1\"", "\"../../x\"", "\"\\u0000\"", "true", "false", "[]", "{}", "[null]", "[[]]", "{\"\": null}",
        "[1, 2, 3]", "[-1]", "[0, 0, 0]", "[2147483647, 2147483647, 2147483647]", "\"2d\"", "\"fold_0\"",
        "2147483647", "-2147483648", "65536", "100000", "1e9", "3", "[2, 2]", "[\"x\"]", "[1e309]"};

    private JsonMutator() {
    }

    /**
     * 1 to 3 token-level steps, now and then byte mutations (for syntax errors and bytes that are
     * not UTF-8). The text is handled as ISO-8859-1, one char per byte, so both kinds mix.
     */
    static byte[] mutate(byte[] json, Random r, List<String> steps) {
        String text = new String(json, StandardCharsets.ISO_8859_1);
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            text = step(text, r, steps);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String step(String text, Random r, List<String> steps) {
        List<int[]> tokens = tokens(text);
        if (tokens.isEmpty()) {
            steps.add("json: no tokens, set to {}");
            return "{}";
        }
        int op = r.nextInt(20);
        if (op < 10) {
            // A value replaced: the file stays JSON, the reader's binding and checks see it.
            int[] s = scalar(tokens, text, r, false);
            if (s == null) {
                return text;
            }
            String v = r.nextInt(12) == 0 ? special(r) : VALUES[r.nextInt(VALUES.length)];
            steps.add("json: " + shorten(text.substring(s[0], s[1])) + "@" + s[0] + " -> " + shorten(v));
            return text.substring(0, s[0]) + v + text.substring(s[1]);
        } else if (op < 13) {
            // An object or array replaced as a whole.
            int open = opening(tokens, text, r);
            if (open < 0) {
                return text;
            }
            int close = matching(tokens, text, open);
            String v = r.nextInt(6) == 0 ? special(r) : VALUES[r.nextInt(VALUES.length)];
            int a = tokens.get(open)[0];
            int b = close < 0 ? text.length() : tokens.get(close)[1];
            steps.add("json: " + text.charAt(a) + "...@" + a + " (" + (b - a) + " chars) -> " + shorten(v));
            return text.substring(0, a) + v + text.substring(b);
        } else if (op < 15) {
            // Two values swapped (a name where a number belongs, one list for another).
            int[] a = scalar(tokens, text, r, false);
            int[] b = scalar(tokens, text, r, false);
            if (a == null || b == null || a[0] == b[0]) {
                return text;
            }
            if (a[0] > b[0]) {
                int[] c = a;
                a = b;
                b = c;
            }
            steps.add("json: swap " + shorten(text.substring(a[0], a[1])) + "@" + a[0] + " and "
                    + shorten(text.substring(b[0], b[1])) + "@" + b[0]);
            return text.substring(0, a[0]) + text.substring(b[0], b[1]) + text.substring(a[1], b[0])
                    + text.substring(a[0], a[1]) + text.substring(b[1]);
        } else if (op < 17) {
            // A key renamed to another key of the file or an unknown one: a member missing, or twice.
            int[] k = scalar(tokens, text, r, true);
            if (k == null) {
                return text;
            }
            int[] other = scalar(tokens, text, r, true);
            String v = other != null && r.nextBoolean() ? text.substring(other[0], other[1]) : "\"zz\"";
            steps.add("json: key " + shorten(text.substring(k[0], k[1])) + "@" + k[0] + " -> " + shorten(v));
            return text.substring(0, k[0]) + v + text.substring(k[1]);
        } else if (op < 18) {
            int[] t = tokens.get(r.nextInt(tokens.size()));
            steps.add("json: remove " + shorten(text.substring(t[0], t[1])) + "@" + t[0]);
            return text.substring(0, t[0]) + text.substring(t[1]);
        } else if (op < 19) {
            int[] t = tokens.get(r.nextInt(tokens.size()));
            int[] u = tokens.get(r.nextInt(tokens.size()));
            int a = Math.min(t[0], u[0]);
            int b = Math.max(t[1], u[1]);
            steps.add("json: repeat [" + a + "," + b + ")");
            return text.substring(0, b) + text.substring(a, b) + text.substring(b);
        }
        List<String> s = new ArrayList<>();
        byte[] b = ByteMutator.mutate(text.getBytes(StandardCharsets.ISO_8859_1), new int[0], r, s);
        steps.add("json bytes: " + String.join("; ", s));
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Values no list holds: deep nesting (for recursion), a long string, a huge exponent. */
    private static String special(Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return "[".repeat(100_000) + "]".repeat(100_000);
            case 1:
                return "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
            case 2:
                return "\"" + "x".repeat(1 << 20) + "\"";
            default:
                return "1e" + Integer.MAX_VALUE;
        }
    }

    /** A scalar token: a key ({@code key}: a string followed by ':') or a value. */
    private static int[] scalar(List<int[]> tokens, String text, Random r, boolean key) {
        for (int tries = 0; tries < 30; tries++) {
            int i = r.nextInt(tokens.size());
            int[] t = tokens.get(i);
            if ("{}[]:,".indexOf(text.charAt(t[0])) >= 0) {
                continue;
            }
            boolean isKey = i + 1 < tokens.size() && text.charAt(tokens.get(i + 1)[0]) == ':';
            if (isKey == key) {
                return t;
            }
        }
        return null;
    }

    private static int opening(List<int[]> tokens, String text, Random r) {
        for (int tries = 0; tries < 20; tries++) {
            int i = r.nextInt(tokens.size());
            char c = text.charAt(tokens.get(i)[0]);
            if (c == '{' || c == '[') {
                return i;
            }
        }
        return -1;
    }

    private static int matching(List<int[]> tokens, String text, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            char c = text.charAt(tokens.get(i)[0]);
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static List<int[]> tokens(String text) {
        List<int[]> l = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            l.add(new int[] {m.start(), m.end()});
        }
        return l;
    }

    private static String shorten(String s) {
        return s.length() <= 24 ? s : s.substring(0, 12) + "..(" + s.length() + " chars)";
    }
}
