package io.github.nnunetfiji.util;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

/**
 * Gson reading of a record whose missing fields take the record's defaults (its static
 * {@code defaults()}), not Java's zero values: a file written before a field existed reads that
 * field's default, as a class read by Gson from its default constructor does. Writing is Gson's
 * own, so the JSON has the components' names in their order. Put on a record with
 * {@code @JsonAdapter(DefaultsFirst.class)}.
 */
public final class DefaultsFirst implements TypeAdapterFactory {

    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
        TypeAdapter<JsonElement> elements = gson.getAdapter(JsonElement.class);
        Object defaults = defaults(type.getRawType());
        return new TypeAdapter<T>() {
            @Override
            public void write(JsonWriter out, T value) throws IOException {
                delegate.write(out, value);
            }

            @Override
            public T read(JsonReader in) throws IOException {
                JsonElement read = elements.read(in);
                if (read == null || read.isJsonNull()) {
                    return null;
                }
                if (!read.isJsonObject()) {
                    throw new JsonParseException("expected an object for " + type.getRawType().getSimpleName() + ", got "
                            + read);
                }
                @SuppressWarnings("unchecked")
                JsonObject merged = delegate.toJsonTree((T) defaults).getAsJsonObject();
                for (Map.Entry<String, JsonElement> e : read.getAsJsonObject().entrySet()) {
                    merged.add(e.getKey(), e.getValue());
                }
                // Through text, leniently as Gson reads a file (a NaN written by an old version opens).
                JsonReader text = new JsonReader(new StringReader(merged.toString()));
                text.setLenient(true);
                return delegate.read(text);
            }
        };
    }

    private static Object defaults(Class<?> type) {
        try {
            Method m = type.getMethod("defaults");
            return m.invoke(null);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(type.getName() + " needs a public static defaults() for reading JSON", e);
        }
    }
}
