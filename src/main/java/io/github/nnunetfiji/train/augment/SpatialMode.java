package io.github.nnunetfiji.train.augment;

/**
 * Whether the spatial transform works in 3D or slice by slice: rotation, scaling and deformation
 * then act in the plane of the two other axes, the same for every slice (the reference's "dummy
 * 2D" for strongly anisotropic 3D patches; a 2D network's samples are slice-wise with a slice
 * axis of extent 1).
 */
public final class SpatialMode {

    private final int sliceAxis;

    private SpatialMode(int sliceAxis) {
        this.sliceAxis = sliceAxis;
    }

    public static SpatialMode volume() {
        return new SpatialMode(-1);
    }

    public static SpatialMode slicewise(int sliceAxis) {
        if (sliceAxis < 0 || sliceAxis > 2) {
            throw new IllegalArgumentException("slice axis must be 0, 1 or 2, got " + sliceAxis);
        }
        return new SpatialMode(sliceAxis);
    }

    public boolean isVolume() {
        return sliceAxis < 0;
    }

    /** The axis the transform leaves alone; only for slice-wise mode. */
    public int sliceAxis() {
        if (sliceAxis < 0) {
            throw new IllegalStateException("3D mode has no slice axis");
        }
        return sliceAxis;
    }

    /** True if the transform acts along {@code axis}. */
    public boolean transforms(int axis) {
        return axis != sliceAxis;
    }

    @Override
    public String toString() {
        return isVolume() ? "3D" : "slice-wise across axis " + sliceAxis;
    }
}
