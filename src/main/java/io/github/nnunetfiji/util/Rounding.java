package io.github.nnunetfiji.util;

/**
 * The reference's rounding: Python's {@code round} and numpy's {@code np.round} round halves to
 * the even neighbour (2.5 -> 2, 3.5 -> 4), where {@link Math#round} rounds them up. Sizes that
 * the reference computes with {@code round} go through here, so a half-way value gives the same
 * whole number in both.
 */
public final class Rounding {

    private Rounding() {
    }

    /**
     * Rounds to the nearest whole number, halves to even.
     *
     * @param v the value
     * @return the nearest whole number; of two equally near, the even one
     */
    public static long halfEven(double v) {
        return (long) Math.rint(v);
    }
}
