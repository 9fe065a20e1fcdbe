package io.github.nnunetfiji.fiji;

import java.io.File;


import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelInstaller;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.pipeline.ReferenceModelImport;
import io.github.nnunetfiji.util.CanceledException;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net Install Model: copies a trained model (its folder, a zip of it,
 * or the zip nnU-Net Export Model wrote, checked against its manifest; or a model the reference implementation,
 * nnU-Net v2, trained: its trainer folder or export zip, converted) into the models folder ({@code <Fiji>/models/nnunet/<name>}, see {@link ModelRegistry}), where
 * nnU-Net Segment Image offers it by name. Checked first, installed all or nothing. Macro:
 * {@code run("nnU-Net Install Model", "model=[/path/model.zip] name=hippocampus_3d replace=false");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net Install Model", label = "nnU-Net Install Model",
        headless = true)
public class InstallModelCommand extends NnunetCommand {

    @Parameter(label = "Model (.zip, or plans.json of a model folder)", style = "open", persist = false,
            description = "A model export (nnU-Net Export Model's zip), a zip of a trained model, or a trained model "
                    + "folder (plans.json, dataset.json, fold_K/inference_model/): give the folder or the plans.json in it. "
                    + "Also a model the reference nnU-Net v2 trained: its TRAINER__PLANS__CONFIG folder (or its "
                    + "plans.json) or its nnUNetv2_export_model_to_zip archive")
    private File model;

    @Parameter(label = "Name", required = false, persist = false,
            description = "Name in the model list; empty: the zip's name, or DATASET_CONFIGURATION for a trained "
                    + "model folder")
    private String name = "";

    @Parameter(label = "Replace an installed model of that name", required = false, persist = false)
    private boolean replace;

    @Parameter(label = "Installed model", type = ItemIO.OUTPUT)
    private String installed;

    @Parameter(label = "Model folder", type = ItemIO.OUTPUT)
    private String modelfolder;


    @Parameter(required = false)
    private StatusService status;

    @Override
    public void run() {
        started();
        if (model == null) {
            fail("No model given: choose a model folder or a .zip of one.");
            return;
        }
        try {
            ModelRegistry registry = ModelRegistry.standard();
            // A file chooser picks files: plans.json stands for the model folder holding it.
            java.nio.file.Path source = model.getName().equals(InstalledModel.PLANS) ? model.toPath().getParent()
                    : model.toPath();
            // A model the reference implementation trained is recognized by its trainer folder's name.
            InstalledModel m = ReferenceModelImport.isReferenceModel(source)
                    ? ReferenceModelImport.install(source, name, registry, replace, new CommandProgress(this, status, log()))
                    : ModelInstaller.install(source, name, registry, replace, new CommandProgress(this, status, log()));
            installed = m.name();
            modelfolder = m.folder().toString();
            String summary = "Installed model " + m.name() + " (" + m.datasetName() + ", "
                    + String.join(" ", m.configurations()) + ", " + String.join(" ", m.folds()) + ") in " + m.folder();
            log().info(summary);
            finished(summary);
        } catch (CanceledException e) {
            cancel("Installation canceled; nothing was installed.");
        } catch (Exception e) {
            fail(e.getMessage());
        } finally {
            if (status != null) {
                status.clearStatus();
            }
        }
    }

    private void fail(String reason) {
        cancel(reason);
        log().error(reason);
    }

}
