package io.github.nnunetfiji.util;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * For records with array components, which copy their arrays in and out: null-safe copies, and
 * equality and hash code by the components' contents (a record's own compare arrays by identity).
 * Such a record overrides {@code equals} and {@code hashCode} with these, so adding a component
 * needs no change there.
 */
public final class ArrayRecords {

    private ArrayRecords() {
    }

    /** True if {@code o} is a record of {@code r}'s class with equal components (arrays by content). */
    public static boolean equal(Record r, Object o) {
        return o != null && o.getClass() == r.getClass() && Arrays.deepEquals(values(r), values((Record) o));
    }

    /** A hash code of the components, arrays by content. */
    public static int hash(Record r) {
        return Arrays.deepHashCode(values(r));
    }

    public static int[] copy(int[] a) {
        return a == null ? null : a.clone();
    }

    public static long[] copy(long[] a) {
        return a == null ? null : a.clone();
    }

    public static double[] copy(double[] a) {
        return a == null ? null : a.clone();
    }

    /** A copy of every row. */
    public static int[][] copy(int[][] a) {
        if (a == null) {
            return null;
        }
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = copy(a[i]);
        }
        return c;
    }

    private static Object[] values(Record r) {
        RecordComponent[] c = r.getClass().getRecordComponents();
        Object[] v = new Object[c.length];
        for (int i = 0; i < c.length; i++) {
            try {
                v[i] = c[i].getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c[i], e);
            }
        }
        return v;
    }
}
