package io.github.nnunetfiji.fiji;

import java.io.File;

import org.scijava.app.StatusService;
import org.scijava.plugin.Parameter;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Progress;

/**
 * What every pipeline command shares: the data set folder, the work folder and the thread count
 * as inputs; progress in the status bar; cancellation; and one way of failing (the command is
 * canceled with a reason that names the problem and the fix, and the reason is logged).
 * Headless-safe: no UI. Subclasses implement {@link #runStage(WorkFolder)}. Success or failure
 * also comes out as the outputs {@code success} and {@code message} ({@link NnunetCommand}).
 */
public abstract class DatasetStageCommand extends NnunetCommand {

    @Parameter(label = "Data set folder", style = "directory", persist = false,
            description = "Folder with dataset.json, imagesTr/ and labelsTr/")
    protected File dataset;

    @Parameter(label = "Work folder", style = "directory", required = false, persist = false,
            description = "Where results go (one subfolder per data set); default $NNUNET_WORK or ./nnunet_work")
    protected File work;

    @Parameter(label = "Threads", min = "1", max = "256", required = false, persist = false,
            description = "Cases processed in parallel; each holds one case in memory")
    protected int threads = 2;


    @Parameter(required = false)
    protected StatusService status;

    /** What the command does, for messages: e.g. "Planning". */
    protected abstract String activity();

    /** The stage itself; exceptions become a clear cancel reason. */
    protected abstract void runStage(WorkFolder workFolder) throws Exception;

    @Override
    public final void run() {
        started();
        if (dataset == null || !dataset.isDirectory()) {
            fail("Data set folder not found: " + dataset + ". Choose the folder that holds dataset.json.");
            return;
        }
        try {
            runStage(work != null ? new WorkFolder(work.toPath()) : WorkFolder.fromEnvironment());
        } catch (DatasetException e) {
            fail(e.getMessage() + "\nRun nnU-Net Validate for every problem and its fix.");
        } catch (PrerequisiteException e) {
            fail(activity() + " stopped, nothing written: " + describe(e));
        } catch (CanceledException e) {
            cancel(activity() + " canceled; finished work is kept");
        } catch (IllegalArgumentException e) {
            fail(activity() + " stopped, nothing written: " + describe(e));
        } catch (Exception e) {
            cancel(activity() + " failed: " + describe(e));
            log().error(getCancelReason(), e);
        } finally {
            if (status != null) {
                status.clearStatus();
            }
            finished(activity() + " finished");
        }
    }

    /** Cancels with a reason and logs it. */
    protected void fail(String reason) {
        cancel(reason);
        log().error(reason);
    }

    /** Progress to the status bar; cancels when the command is canceled. */
    protected Progress progress() {
        return new CommandProgress(this, status, log());
    }

    /** Threads, at least 1. */
    protected int threads() {
        return Math.max(1, threads);
    }
}
