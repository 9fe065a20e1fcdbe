package io.github.nnunetfiji.io.torch;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Python pickle stream as plain Java values: the opcodes of protocol 2 (and the few of
 * protocols 3 and 4 that protocol-2 data may use) for dicts, lists, tuples, numbers, strings, bytes,
 * None and booleans, the memo, and calls of globals. Which globals exist and what calling them
 * makes is {@link Globals}'s decision; everything else a pickle can do (import any name, call it,
 * set attributes) is refused with the opcode named. Values: {@code Map} (insertion order), {@code
 * List} (tuples unmodifiable), {@code String}, {@code byte[]}, {@code Long} or {@code BigInteger},
 * {@code Double}, {@code Boolean}, null, and what {@link Globals} makes.
 */
final class PickleReader {

    /** The names a pickle may import and call, and the storages it references. */
    interface Globals {
        /** The object {@code module.name} stands for; refuses names outside the allowlist. */
        Object find(String module, String name) throws PickleException;

        /** The object a persistent id (BINPERSID) stands for. */
        Object persistentLoad(Object pid) throws PickleException;
    }

    /** A global that may be called (REDUCE, NEWOBJ) with a tuple of arguments. */
    interface Callable {
        Object call(List<Object> args) throws PickleException;
    }

    /** An object that takes a BUILD's state (setstate). */
    interface Buildable {
        void build(Object state) throws PickleException;
    }

    /** Longest module or name a GLOBAL may carry. */
    private static final int MAX_NAME = 256;
    /** Longest integer (LONG4) in bytes: Python ints in checkpoints are small. */
    private static final int MAX_LONG_BYTES = 64;

    private final ByteBuffer in;
    private final Globals globals;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private PickleReader(byte[] data, Globals globals) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.globals = globals;
    }

    /** The object the pickle in {@code data} describes. */
    static Object read(byte[] data, Globals globals) throws PickleException {
        return new PickleReader(data, globals).run();
    }

    private Object run() throws PickleException {
        while (true) {
            if (!in.hasRemaining()) {
                throw new PickleException("its pickle ends without a STOP opcode (the file is cut short)");
            }
            int at = in.position();
            int op = in.get() & 0xFF;
            try {
                if (op == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw new PickleException("its pickle stops with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                step(op);
            } catch (PickleException e) {
                throw e;
            } catch (java.nio.BufferUnderflowException e) {
                throw new PickleException("its pickle ends inside the value at byte " + at + " (the file is cut short "
                        + "or damaged)");
            } catch (IndexOutOfBoundsException | ArithmeticException
                    | ClassCastException | IllegalArgumentException | UnsupportedOperationException e) {
                // Out-of-range lengths, wrong types on the stack, arithmetic overflow: all mean a bad stream.
                throw new PickleException("its pickle is damaged at byte " + at + " (opcode " + opcodeName(op) + ": "
                        + e.getMessage() + ")");
            }
        }
    }

    private void step(int op) throws PickleException {
        switch (op) {
            case 0x80 -> { // PROTO
                int protocol = in.get() & 0xFF;
                if (protocol > 5) {
                    throw new PickleException("its pickle has protocol " + protocol + ", newer than Python's 5");
                }
            }
            case 0x95 -> in.getLong(); // FRAME: a length hint only
            case '(' -> marks.add(stack.size()); // MARK
            case '0' -> pop(); // POP
            case '1' -> popMark(); // POP_MARK
            case '2' -> push(peek()); // DUP
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) in.getInt()); // BININT
            case 'K' -> push((long) (in.get() & 0xFF)); // BININT1
            case 'M' -> push((long) (in.getShort() & 0xFFFF)); // BININT2
            case 0x8a -> push(longOf(bytes(in.get() & 0xFF))); // LONG1
            case 0x8b -> push(longOf(bytes(length(in.getInt(), MAX_LONG_BYTES)))); // LONG4
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT, big endian
            case 'X' -> push(new String(bytes(length(in.getInt())), StandardCharsets.UTF_8)); // BINUNICODE
            case 0x8c -> push(new String(bytes(in.get() & 0xFF), StandardCharsets.UTF_8)); // SHORT_BINUNICODE
            case 0x8d -> push(new String(bytes(length(in.getLong())), StandardCharsets.UTF_8)); // BINUNICODE8
            case 'T' -> push(new String(bytes(length(in.getInt())), StandardCharsets.ISO_8859_1)); // BINSTRING
            case 'U' -> push(new String(bytes(in.get() & 0xFF), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
            case 'B' -> push(bytes(length(in.getInt()))); // BINBYTES
            case 'C' -> push(bytes(in.get() & 0xFF)); // SHORT_BINBYTES
            case ')' -> push(tuple(List.of()));
            case 't' -> push(tuple(popMark()));
            case 0x85 -> push(tuple(popN(1)));
            case 0x86 -> push(tuple(popN(2)));
            case 0x87 -> push(tuple(popN(3)));
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark())); // LIST
            case 'a' -> { // APPEND
                Object v = pop();
                list(peek()).add(v);
            }
            case 'e' -> { // APPENDS
                List<Object> items = popMark();
                list(peek()).addAll(items);
            }
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> { // DICT
                Map<Object, Object> d = new LinkedHashMap<>();
                putAll(d, popMark());
                push(d);
            }
            case 's' -> { // SETITEM
                Object v = pop();
                Object k = pop();
                dict(peek()).put(k, v);
            }
            case 'u' -> { // SETITEMS
                List<Object> items = popMark();
                putAll(dict(peek()), items);
            }
            case 'q' -> memo.put((long) (in.get() & 0xFF), peek()); // BINPUT
            case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'h' -> push(memoGet(in.get() & 0xFF)); // BINGET
            case 'j' -> push(memoGet(in.getInt() & 0xFFFFFFFFL)); // LONG_BINGET
            case 'c' -> push(globals.find(line(), line())); // GLOBAL
            case 0x93 -> { // STACK_GLOBAL
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("its pickle imports a name that is not a string");
                }
                push(globals.find(m, n));
            }
            case 'R', 0x81 -> { // REDUCE, NEWOBJ: call a global with a tuple of arguments
                Object args = pop();
                Object f = pop();
                if (!(f instanceof Callable c) || !(args instanceof List<?> a)) {
                    throw new PickleException("its pickle calls " + describe(f) + ", which is not a callable global");
                }
                push(c.call(Collections.unmodifiableList(a)));
            }
            case 'b' -> { // BUILD
                Object state = pop();
                Object target = peek();
                if (target instanceof Buildable b) {
                    b.build(state);
                } else if (!(target instanceof Map<?, ?> && (state == null || state instanceof Map<?, ?>))) {
                    // An OrderedDict's state holds attributes such as a state dict's _metadata: not needed.
                    throw new PickleException("its pickle sets the state of " + describe(target)
                            + ", which checkpoints of weights never do");
                }
            }
            case 'Q' -> push(globals.persistentLoad(pop())); // BINPERSID
            default -> throw new PickleException("its pickle uses the opcode " + opcodeName(op)
                    + ", which checkpoints of weights do not use; only plain data, tensors and storages are read");
        }
    }

    private static String opcodeName(int op) {
        return op >= 0x20 && op < 0x7F ? "'" + (char) op + "' (0x" + Integer.toHexString(op) + ")"
                : "0x" + Integer.toHexString(op);
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Callable ? o.toString() : "a " + o.getClass().getSimpleName();
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws PickleException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw new PickleException("its pickle is damaged: it takes a value from an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws PickleException {
        Object o = pop();
        push(o);
        return o;
    }

    private List<Object> popN(int n) throws PickleException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return Arrays.asList(items);
    }

    private List<Object> popMark() throws PickleException {
        if (marks.isEmpty()) {
            throw new PickleException("its pickle is damaged: it closes a MARK that was never set");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private Object memoGet(long index) throws PickleException {
        if (!memo.containsKey(index)) {
            throw new PickleException("its pickle is damaged: it reads memo entry " + index + ", which was never set");
        }
        return memo.get(index);
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws PickleException {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw new PickleException("its pickle appends to " + describe(o) + ", which is not a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) throws PickleException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new PickleException("its pickle sets an item of " + describe(o) + ", which is not a dict");
    }

    private static void putAll(Map<Object, Object> d, List<Object> items) throws PickleException {
        if (items.size() % 2 != 0) {
            throw new PickleException("its pickle is damaged: a dict is given an odd number of keys and values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(items.get(i), items.get(i + 1));
        }
    }

    private int length(long n) throws PickleException {
        return length(n, Integer.MAX_VALUE);
    }

    private int length(long n, int max) throws PickleException {
        if (n < 0 || n > in.remaining() || n > max) {
            throw new PickleException("its pickle is damaged or cut short: a value of " + n + " bytes where "
                    + in.remaining() + " remain");
        }
        return (int) n;
    }

    private byte[] bytes(int n) throws PickleException {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    /** A line of ASCII up to '\n' (GLOBAL's module and name). */
    private String line() throws PickleException {
        StringBuilder s = new StringBuilder();
        while (true) {
            if (!in.hasRemaining() || s.length() > MAX_NAME) {
                throw new PickleException("its pickle is damaged: a GLOBAL name without end");
            }
            int c = in.get() & 0xFF;
            if (c == '\n') {
                return s.toString();
            }
            s.append((char) c);
        }
    }

    /** Little-endian two's complement, as LONG1/LONG4 store Python ints. */
    private static Object longOf(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}
