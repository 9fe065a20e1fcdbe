package io.github.nnunetfiji.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * How an ensemble decides (METHOD.md §8): the class probabilities of its members, each on the
 * image's own grid, averaged voxel by voxel, then the most probable class (the lower class where
 * two are equal, as an argmax takes the first). The members are configurations of an ensemble, or
 * the probability files of several predictions of the same cases.
 */
public final class ProbabilityMean {

    private float[][] sum;
    private long[] shape;
    private Geometry geometry;
    private int members;

    /**
     * Adds one member's probabilities: one channel per class, all members on one voxel grid.
     *
     * @throws IllegalArgumentException naming what differs from the members before
     */
    public void add(Image probabilities) {
        if (sum == null) {
            shape = probabilities.shape();
            geometry = probabilities.geometry();
            sum = new float[probabilities.channelCount()][Math.toIntExact(probabilities.voxelCount())];
        } else {
            if (probabilities.channelCount() != sum.length) {
                throw new IllegalArgumentException(probabilities.channelCount() + " classes where the members before have "
                        + sum.length + "; an ensemble combines models of the same labels");
            }
            if (!Arrays.equals(shape, probabilities.shape())
                    || geometry.spacingDifference(probabilities.geometry()) > Geometry.SPACING_TOLERANCE) {
                throw new IllegalArgumentException("shape " + AxisOrder.format(probabilities.shape()) + ", spacing "
                        + AxisOrder.format(probabilities.geometry().spacing()) + " where the members before have "
                        + AxisOrder.format(shape) + ", " + AxisOrder.format(geometry.spacing())
                        + "; an ensemble combines predictions of the same image");
            }
        }
        for (int c = 0; c < sum.length; c++) {
            float[] s = sum[c];
            int i = 0;
            for (RealType<?> v : Views.flatIterable(probabilities.channel(c))) {
                s[i++] += v.getRealFloat();
            }
        }
        members++;
    }

    /** Members added so far. */
    public int members() {
        return members;
    }

    /** The mean probabilities, one channel per class, with the first member's geometry. */
    public Image mean() {
        check();
        List<ArrayImg<FloatType, FloatArray>> channels = new ArrayList<>();
        for (float[] s : sum) {
            float[] m = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                m[i] = s[i] / members;
            }
            channels.add(ArrayImgs.floats(m, shape));
        }
        return new Image(channels, geometry);
    }

    /** The most probable class per voxel (x fastest), the label image's own storage. */
    public byte[] labelValues() {
        check();
        int n = sum[0].length;
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            float max = sum[0][i];
            for (int c = 1; c < sum.length; c++) {
                if (sum[c][i] > max) {
                    max = sum[c][i];
                    best = c;
                }
            }
            labels[i] = (byte) best;
        }
        return labels;
    }

    /** {@link #labelValues()} as a label image on the members' grid. */
    public LabelImage labels() {
        return labels(labelValues());
    }

    /** A label image over {@code values} (from {@link #labelValues()}, maybe postprocessed). */
    public LabelImage labels(byte[] values) {
        check();
        return new LabelImage(ArrayImgs.unsignedBytes(values, shape), geometry);
    }

    private void check() {
        if (members == 0) {
            throw new IllegalStateException("No member added");
        }
    }
}
