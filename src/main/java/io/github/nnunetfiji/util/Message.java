package io.github.nnunetfiji.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Text for people that names request fields and pipeline stages, not command-line flags or Fiji
 * menu entries: "{@link RequestField#CONTINUE} resumes it (with a larger
 * {@link RequestField#EPOCHS})", "run {@link StageName#PREPROCESS} first". Each surface renders
 * it with its own {@link Vocabulary}: the command line says {@code --continue} and
 * {@code 'nnunet preprocess DATASET -c 2d'}, a Fiji dialog its field "Continue" and its command
 * "nnU-Net Preprocess", and the Java API ({@link #NEUTRAL}, also {@link #toString()}) the request's
 * own names. So the core words a fix once, and no surface repeats the core's checks to word them
 * differently.
 *
 * <p>Why a structure and not plain text in neutral words: a fix is only useful in the words of the
 * surface at hand (a flag to type, a field to fill in), and only the surface knows those.
 * Exceptions carry a message through {@link Explained}; their {@code getMessage()} is the neutral
 * rendering, so code that only logs them still reads a sentence.
 */
public final class Message {

    /** A piece of a message. */
    public sealed interface Part permits Text, Field, Run {
    }

    /** Plain text, the same on every surface (file names, numbers, explanations). */
    public record Text(String text) implements Part {
    }

    /**
     * A request field, named ({@code value} null: "give {@code --work DIR}") or set to a value
     * ("the training used {@code --optimizer sgd}").
     */
    public record Field(RequestField field, String value) implements Part {
    }

    /**
     * Running a stage, with the request values that matter ({@code dataset}, {@code configuration}
     * ...); a surface adds what its own form needs.
     *
     * @param stage  the stage
     * @param values request values, in the order given
     */
    public record Run(StageName stage, Map<RequestField, String> values) implements Part {

        public Run {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** This run with one more value. */
        public Run with(RequestField field, Object value) {
            Map<RequestField, String> v = new LinkedHashMap<>(values);
            v.put(field, String.valueOf(value));
            return new Run(stage, v);
        }
    }

    /** How one surface words fields and stages. */
    public interface Vocabulary {

        /**
         * A field in a sentence.
         *
         * @param field the field
         * @param value the value it is set to, or null to name the field itself
         * @return e.g. {@code --work DIR}, {@code --optimizer sgd}, {@code 'Epochs' (epochs=)}
         */
        String field(RequestField field, String value);

        /**
         * Running a stage, in a sentence ("run ... first").
         *
         * @param run the stage and the values given
         * @return e.g. {@code 'nnunet preprocess /data/Task -c 2d'} or {@code nnU-Net Preprocess}
         */
        String stage(Run run);
    }

    /**
     * The Java API's words: a field is its name in the request ({@code 'continueTraining'}, or
     * {@code optimizer=SGD} with a value), a stage "the preprocess stage (dataset=..., ...)".
     */
    public static final Vocabulary NEUTRAL = new Vocabulary() {
        @Override
        public String field(RequestField field, String value) {
            return value == null ? "'" + field.requestName() + "'" : field.requestName() + "=" + value;
        }

        @Override
        public String stage(Run run) {
            return "the " + run.stage().words() + " stage" + (run.values().isEmpty() ? ""
                    : run.values().entrySet().stream().map(e -> field(e.getKey(), e.getValue()))
                            .collect(Collectors.joining(", ", " (", ")")));
        }
    };

    private final List<Part> parts;

    private Message(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * A message from pieces: a {@link RequestField} names that field, a {@link Part} (a field with
     * a value, a {@link Run}) is taken as it is, a {@link StageName} is running that stage, another
     * {@link Message} is inserted, anything else is its {@code String.valueOf} as text.
     */
    public static Message of(Object... pieces) {
        List<Part> parts = new ArrayList<>();
        for (Object p : pieces) {
            if (p instanceof Message m) {
                parts.addAll(m.parts);
            } else if (p instanceof Part part) {
                parts.add(part);
            } else if (p instanceof RequestField f) {
                parts.add(new Field(f, null));
            } else if (p instanceof StageName s) {
                parts.add(s.run());
            } else {
                parts.add(new Text(String.valueOf(p)));
            }
        }
        return new Message(parts);
    }

    /** This message followed by more pieces (as {@link #of}). */
    public Message plus(Object... pieces) {
        List<Object> all = new ArrayList<>(parts);
        all.addAll(List.of(pieces));
        return of(all.toArray());
    }

    /** The pieces, in order. */
    public List<Part> parts() {
        return parts;
    }

    /** The text in one surface's words. */
    public String render(Vocabulary words) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                sb.append(t.text());
            } else if (p instanceof Field f) {
                sb.append(words.field(f.field(), f.value()));
            } else if (p instanceof Run r) {
                sb.append(words.stage(r));
            }
        }
        return sb.toString();
    }

    /**
     * What a failure says in one surface's words: the {@link Explained#explanation()} of an
     * exception that has one, else its message (its class name if it has none).
     */
    public static String describe(Throwable t, Vocabulary words) {
        if (t instanceof Explained e && e.explanation() != null) {
            return e.explanation().render(words);
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** The neutral rendering ({@link #NEUTRAL}). */
    @Override
    public String toString() {
        return render(NEUTRAL);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }
}
