package io.github.nnunetfiji.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; nnU-Net &gt; nnU-Net About: the plugin's version, where the engine is and whether it
 * starts (with its device and threads), and the models folder with the installed models. Macro:
 * {@code run("nnU-Net About", "startengine=true");}. Headless-safe.
 */
@Plugin(type = Command.class, menuPath = "Plugins>nnU-Net>nnU-Net About", label = "nnU-Net About", headless = true)
public class AboutCommand extends NnunetCommand {

    @Parameter(label = "Start the engine", required = false, persist = false,
            description = "Start the engine once to report its device (takes a few seconds)")
    private boolean startengine = true;

    @Parameter(label = "About", type = ItemIO.OUTPUT)
    private String report;

    @Parameter(label = "Engine found", type = ItemIO.OUTPUT)
    private boolean enginefound;

    @Parameter(label = "Models folder", type = ItemIO.OUTPUT)
    private String modelsfolder;


    @Override
    public void run() {
        started();
        try {
            InstallationReport.Facts f = InstallationReport.gather(System.getProperties(), System.getenv(), startengine);
            report = InstallationReport.toText(f);
            enginefound = f.engineFound();
            modelsfolder = f.modelsFolder();
            log().info(report);
            finished(enginefound ? "Engine: " + f.engine() : "Engine " + f.engine());
        } catch (Exception e) {
            cancel("nnU-Net About failed: " + e.getMessage());
            log().error(getCancelReason(), e);
        }
    }

    @Override
    public String shownOutput() {
        return "report";
    }
}
