package io.github.nnunetfiji.dataset;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.github.nnunetfiji.dataset.Problem.Kind;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.util.Parallel;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.Percentiles;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Checks a data set's structure and the content of every case, and reports every problem at once,
 * each naming the file and the fix. Cases are read in parallel, at most one case per thread in
 * memory at a time.
 */
public final class DatasetValidator {

    /** Largest origin difference between image and label, as a fraction of the smallest spacing. */
    public static final double ORIGIN_TOLERANCE_VOXELS = 0.5;

    private final int threads;

    /** @param threads cases read at the same time (each holds one case in memory) */
    public DatasetValidator(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** What one case looked like, and what was wrong with it. */
    private record CaseCheck(List<Problem> problems, long[] shape, double[] spacing, Set<Integer> labelsPresent,
            String pixelType) {
    }

    /** Validates a data set folder: structure ({@link DatasetLoader#scan}) and content of every case. */
    public ValidationReport validate(java.nio.file.Path folder, Progress progress) {
        DatasetLoader.Scan scan = DatasetLoader.scan(folder);
        List<Problem> problems = new ArrayList<>(scan.problems());
        List<Problem> warnings = new ArrayList<>(scan.warnings());
        Dataset ds = scan.dataset();
        if (ds == null) {
            return new ValidationReport(null, problems, warnings, null);
        }
        List<CaseEntry> cases = ds.cases();
        List<CaseCheck> checks = checkCases(ds, cases, progress);
        checks.forEach(c -> problems.addAll(c.problems()));
        if (problems.isEmpty() && checks.stream().allMatch(c -> c.labelsPresent().stream().allMatch(v -> v == 0))) {
            // Nothing to learn, and the foreground intensity statistics (CT's clip bounds) are undefined.
            problems.add(new Problem(Kind.NO_FOREGROUND, cases.get(0).labelFile().getParent(), "no case has a foreground voxel: "
                    + "every label map is all background (0)", "label the structures to segment (the values declared "
                    + "under \"labels\" in dataset.json) in the label maps"));
        }
        warnings.addAll(singleSliceCases(cases, checks));
        DatasetSummary summary = problems.isEmpty() ? summarize(ds, checks, warnings) : null;
        return new ValidationReport(ds, problems, warnings, summary);
    }

    /**
     * Writes the summary of a valid data set into its work folder ({@code dataset_summary.json},
     * atomically) and returns the file; writes nothing for an invalid one.
     *
     * @throws IllegalStateException if the report has problems
     */
    public static java.nio.file.Path writeSummary(ValidationReport report, WorkFolder work) throws IOException {
        if (!report.isValid()) {
            throw new IllegalStateException("Data set has problems; nothing is written");
        }
        java.nio.file.Path file = work.forDataset(report.dataset()).summaryFile();
        io.github.nnunetfiji.util.Json.write(file, report.summary());
        return file;
    }

    private List<CaseCheck> checkCases(Dataset ds, List<CaseEntry> cases, Progress progress) {
        try {
            return Parallel.map(cases, threads, "nnunet-validate", progress, c -> "checked case " + c.id(),
                    c -> checkCase(ds.description(), c));
        } catch (IOException e) {
            // checkCase turns every failure into a problem; an I/O error here is a bug.
            throw new IllegalStateException("Validation failed unexpectedly: " + e, e);
        }
    }

    /**
     * Cases of one slice along z in a data set whose other cases are volumes: such a data set is
     * planned as 3D, and a single slice is almost always an export mistake.
     */
    private static List<Problem> singleSliceCases(List<CaseEntry> cases, List<CaseCheck> checks) {
        long maxZ = 0;
        for (CaseCheck c : checks) {
            if (c.shape() != null) {
                maxZ = Math.max(maxZ, c.shape()[2]);
            }
        }
        List<Problem> out = new ArrayList<>();
        if (maxZ <= 1) {
            return out; // a 2D data set: every case has one slice
        }
        for (int i = 0; i < cases.size(); i++) {
            long[] shape = checks.get(i).shape();
            if (shape != null && shape[2] == 1) {
                out.add(new Problem(Kind.SINGLE_SLICE_CASE, cases.get(i).imageFiles().get(0), "case "
                        + cases.get(i).id() + " has a single slice (" + AxisOrder.format(shape) + ") while other cases "
                        + "have up to " + maxZ + " slices along z; the data set is planned as 3D",
                        "export the whole volume of this case, or remove it from the data set"));
            }
        }
        return out;
    }

    /** Reads one case and checks it; never throws for bad content, returns problems instead. */
    static CaseCheck checkCase(DatasetDescription desc, CaseEntry c) {
        List<Problem> problems = new ArrayList<>();
        Image image;
        try {
            image = c.readImage();
        } catch (IOException | RuntimeException e) {
            Path file = fileOf(e, c.imageFiles().get(0));
            problems.add(new Problem(Kind.UNREADABLE_FILE, file, "cannot read image of case " + c.id()
                    + ": " + messageOf(e), isPermissionDenied(e) ? readPermissionFix(file)
                            : "replace the file with a valid NIfTI or TIFF image"));
            return new CaseCheck(problems, null, null, Set.of(), null);
        }
        java.nio.file.Path imageFile = c.imageFiles().get(0);
        if (image.channelCount() != desc.channelCount()) {
            problems.add(new Problem(Kind.CHANNEL_COUNT, imageFile, "case " + c.id() + " has " + image.channelCount()
                    + " channel(s) but dataset.json declares " + desc.channelCount() + " " + desc.channelNames(),
                    "give every case the declared channels, in the declared order"));
        }
        for (int ch = 0; ch < image.channelCount(); ch++) {
            long bad = countNonFinite(image.channel(ch));
            if (bad > 0) {
                problems.add(new Problem(Kind.NON_FINITE_INTENSITY, c.imageFiles().get(Math.min(ch, c.imageFiles().size() - 1)),
                        "channel " + ch + " of case " + c.id() + " has " + bad + " NaN or infinite voxel(s)",
                        "replace them with a finite value (e.g. the background value) before training"));
            }
        }
        Set<Integer> present = new LinkedHashSet<>();
        try {
            LabelImage label = c.readLabel();
            checkGrid(c, image, label, problems);
            long[] hist = label.histogram();
            List<Integer> undeclared = new ArrayList<>();
            for (int v = 0; v < hist.length; v++) {
                if (hist[v] > 0) {
                    present.add(v);
                    if (!desc.labels().containsKey(v)) {
                        undeclared.add(v);
                    }
                }
            }
            if (!undeclared.isEmpty()) {
                problems.add(new Problem(Kind.UNDECLARED_LABEL, c.labelFile(), "label value(s) " + undeclared
                        + " of case " + c.id() + " are not declared in dataset.json (declared: " + desc.labels().keySet() + ")",
                        "declare them under \"labels\" in dataset.json, or fix the label map"));
            }
        } catch (ImageFileException e) {
            Kind kind = e.getMessage().contains("not a valid label map") ? Kind.BAD_LABEL_VALUES : Kind.UNREADABLE_FILE;
            problems.add(new Problem(kind, c.labelFile(), "label of case " + c.id() + ": " + messageOf(e),
                    kind == Kind.BAD_LABEL_VALUES ? "save the label map as one channel of whole numbers >= 0"
                            : "replace the file with a valid label map"));
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(Kind.UNREADABLE_FILE, c.labelFile(), "cannot read label of case " + c.id() + ": "
                    + messageOf(e), isPermissionDenied(e) ? readPermissionFix(c.labelFile())
                            : "replace the file with a valid label map"));
        }
        return new CaseCheck(problems, image.shape(), image.geometry().spacing(), present, image.pixelTypeName());
    }

    private static void checkGrid(CaseEntry c, Image image, LabelImage label, List<Problem> problems) {
        if (!Arrays.equals(image.shape(), label.shape())) {
            problems.add(new Problem(Kind.SHAPE_MISMATCH, c.labelFile(), "label shape " + AxisOrder.format(label.shape())
                    + " differs from image shape " + AxisOrder.format(image.shape()) + " in case " + c.id(),
                    "resample or re-export the label on the image's voxel grid"));
            return;
        }
        Geometry gi = image.geometry();
        Geometry gl = label.geometry();
        if (gi.spacingDifference(gl) > Geometry.SPACING_TOLERANCE) {
            problems.add(new Problem(Kind.SPACING_MISMATCH, c.labelFile(), "label spacing " + AxisOrder.format(gl.spacing())
                    + " differs from image spacing " + AxisOrder.format(gi.spacing()) + " in case " + c.id(),
                    "copy the image's header geometry to the label (the voxel grids must match)"));
        }
        double minSpacing = Arrays.stream(gi.spacing()).min().orElse(1);
        if (gi.directionDifference(gl) > Geometry.DIRECTION_TOLERANCE
                || gi.originDifference(gl) > ORIGIN_TOLERANCE_VOXELS * minSpacing) {
            problems.add(new Problem(Kind.ORIENTATION_MISMATCH, c.labelFile(), "label orientation or origin differs from the image's in case "
                    + c.id() + " (image affine " + Arrays.deepToString(gi.affine()) + ", label affine "
                    + Arrays.deepToString(gl.affine()) + ")", "copy the image's header geometry to the label"));
        }
    }

    private static long countNonFinite(RandomAccessibleInterval<? extends RealType<?>> ch) {
        if (!(ch.getType() instanceof net.imglib2.type.numeric.real.FloatType)
                && !(ch.getType() instanceof net.imglib2.type.numeric.real.DoubleType)) {
            return 0; // integer types cannot hold NaN
        }
        long n = 0;
        for (RealType<?> t : Views.flatIterable(ch)) {
            if (!Double.isFinite(t.getRealDouble())) {
                n++;
            }
        }
        return n;
    }

    private static Path fileOf(Throwable e, Path fallback) {
        if (e instanceof ImageFileException ife && ife.file() != null) {
            return ife.file();
        }
        return e instanceof AccessDeniedException ade && ade.getFile() != null ? Path.of(ade.getFile()) : fallback;
    }

    /** True if the file system refused to open a file for this user (its permissions, not its content). */
    static boolean isPermissionDenied(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException) {
                return true;
            }
        }
        return false;
    }

    private static String readPermissionFix(Path file) {
        return "the file is fine as far as is known, but this user may not read it: give read permission "
                + "(chmod a+r '" + file + "') or run as a user who may read it";
    }

    private static String messageOf(Throwable e) {
        if (isPermissionDenied(e)) {
            return "permission denied";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // ImageFileException messages start with the file, which the problem already names.
        if (e instanceof ImageFileException ife && ife.file() != null && m.startsWith(ife.file() + ": ")) {
            m = m.substring(ife.file().toString().length() + 2);
        }
        return m;
    }

    private static DatasetSummary summarize(Dataset ds, List<CaseCheck> checks, List<Problem> warnings) {
        int n = checks.size();
        long[] shapeMin = new long[3];
        long[] shapeMax = new long[3];
        double[] shapeMedian = new double[3];
        double[] spMin = new double[3];
        double[] spMax = new double[3];
        double[] spMedian = new double[3];
        for (int d = 0; d < 3; d++) {
            double[] s = new double[n];
            double[] sp = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = checks.get(i).shape()[d];
                sp[i] = checks.get(i).spacing()[d];
            }
            shapeMin[d] = (long) Arrays.stream(s).min().orElse(0);
            shapeMax[d] = (long) Arrays.stream(s).max().orElse(0);
            shapeMedian[d] = Percentiles.median(s);
            spMin[d] = Arrays.stream(sp).min().orElse(0);
            spMax[d] = Arrays.stream(sp).max().orElse(0);
            spMedian[d] = Percentiles.median(sp);
        }
        Map<Integer, Integer> withLabel = new TreeMap<>();
        for (int v : ds.description().labels().keySet()) {
            withLabel.put(v, (int) checks.stream().filter(c -> c.labelsPresent().contains(v)).count());
        }
        List<String> types = checks.stream().map(CaseCheck::pixelType).distinct().toList();
        return new DatasetSummary(ds.description().name(), ds.root().toString(), n, ds.description().channelNames(), types,
                shapeMin, shapeMedian, shapeMax, spMin, spMedian, spMax, ds.description().labels(), withLabel,
                ds.testCases().size(), warnings.stream().map(Problem::toString).toList());
    }
}
